//go:build e2e && unix

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/hop-cli/hop/internal/testenv"
	"github.com/hop-cli/hop/version"
)

// nfpmModule builds the .deb without GoReleaser, from packaging/nfpm.yaml,
// which packaging.TestSamePackage holds to .goreleaser.yaml's nfpms.
const nfpmModule = "github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0"

// run runs name in dir and returns its output, failing the test if it
// fails.
func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// buildDeb lays hop out as a release archive is (bin/hop,
// libexec/hop/hop-core, share/, LICENSE), built as the release builds it,
// and packages it with nfpm; it returns the .deb's path, beside a
// checksums.txt as the release writes it.
func buildDeb(t *testing.T, root, v string) string {
	t.Helper()
	stage, out := t.TempDir(), t.TempDir()
	if _, err := testenv.BuildHop(stage, "-trimpath", "-tags", "osusergo netgo",
		"-ldflags", "-s -w -X github.com/hop-cli/hop/version.version="+v); err != nil {
		t.Fatal(err)
	}
	run(t, root, nil, "go", "run", "./internal/cmd/hop-docs", "-version", v, "-date", "2026-12-01T00:00:00Z", filepath.Join(stage, "share"))
	license, err := os.ReadFile(filepath.Join(root, "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stage, "LICENSE"), license, 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "STAGE="+stage, "GOARCH="+runtime.GOARCH, "VERSION="+v)
	run(t, root, env, "go", "run", nfpmModule, "package", "-f", "packaging/nfpm.yaml", "-p", "deb", "-t", out)
	debs, _ := filepath.Glob(filepath.Join(out, "*.deb"))
	if len(debs) != 1 {
		t.Fatalf("nfpm made %v", debs)
	}
	sum := run(t, out, nil, "sha256sum", filepath.Base(debs[0]))
	if err := os.WriteFile(filepath.Join(out, "checksums.txt"), []byte(sum), 0o644); err != nil {
		t.Fatal(err)
	}
	return debs[0]
}

// TestDebianPackage installs hop's .deb with dpkg, as root on Debian
// (CI), and uses it as a user would: the front in /usr/bin finds hop-core
// in /usr/libexec/hop, a warm exec is served by the front alone, TAB
// completes a profile through the installed bash completion file, man
// finds the page; then dpkg -r leaves none of the package's files behind.
func TestDebianPackage(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("installs a package: needs root (CI runs as root)")
	}
	if _, err := os.Stat("/etc/debian_version"); err != nil {
		t.Skip("needs Debian's dpkg")
	}
	for _, tool := range []string{"dpkg", "man", "bash", "strace"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed (.ci/run installs it)", tool)
		}
	}
	if _, err := os.Stat("/usr/bin/hop"); err == nil {
		t.Skip("/usr/bin/hop exists: this test installs its own and would replace it")
	}
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))

	deb := buildDeb(t, root, "v0.0.0-e2e")
	// The checksums verify, as a user checks a download.
	run(t, filepath.Dir(deb), nil, "sha256sum", "-c", "checksums.txt")

	run(t, "", nil, "dpkg", "-i", deb)
	installed := true
	t.Cleanup(func() {
		if installed {
			exec.Command("dpkg", "--purge", "hop").Run()
		}
	})
	var files []string
	for _, f := range strings.Split(run(t, "", nil, "dpkg", "-L", "hop"), "\n") {
		if fi, err := os.Lstat(f); err == nil && !fi.IsDir() {
			files = append(files, f)
		}
	}
	for _, want := range []string{"/usr/bin/hop", "/usr/libexec/hop/hop-core", "/usr/share/man/man1/hop.1",
		"/usr/share/bash-completion/completions/hop", "/usr/share/zsh/vendor-completions/_hop", "/usr/share/fish/vendor_completions.d/hop.fish"} {
		if !slices.Contains(files, want) {
			t.Errorf("dpkg -L hop lacks %s: %v", want, files)
		}
	}

	e := testenv.Start(t)
	env := e.Environ()

	// hop version through the front: hop-core, found in /usr/libexec/hop,
	// answers, stamped as it was built.
	r := runBin(t, "/usr/bin/hop", env, "version", "--json")
	var info version.Info
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &info) != nil || info.Version != "v0.0.0-e2e" || info.Binary != "hop-core" {
		t.Errorf("/usr/bin/hop version --json: exit %d, %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	// A cold exec goes through hop-core and caches the session; the warm
	// one is the front's alone: no hop-core is started.
	if r := runBin(t, "/usr/bin/hop", env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("cold exec: exit %d, stderr %q", r.code, r.stderr)
	}
	trace := filepath.Join(t.TempDir(), "trace")
	r = runBin(t, "strace", env, "-f", "-qq", "-e", "trace=execve", "-o", trace, "/usr/bin/hop", "exec", "requires3", "--", "sh", "-c", `echo "id=$AWS_ACCESS_KEY_ID"`)
	execs, _ := os.ReadFile(trace)
	if r.code != 0 || !strings.Contains(r.stdout, "id=") || strings.Contains(r.stdout, "id=\n") {
		t.Errorf("warm exec: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(string(execs), "hop-core") || !strings.Contains(string(execs), `"/usr/bin/hop"`) {
		t.Errorf("the warm exec ran:\n%s", execs)
	}

	// TAB in a real bash, with the installed completion file.
	script := fmt.Sprintf("exec env -i %s bash --norc --noprofile -i\n", shellAssignments(setenv(env, "PS1=$ ")))
	p := startPane(t, script, "")
	p.WaitFor("$ ")
	p.TypeLine("source /usr/share/bash-completion/completions/hop")
	p.Type("hop exec requires")
	p.Press("Tab")
	p.WaitFor("hop exec requires3 ")

	// man finds the page where the package put it.
	if where := strings.TrimSpace(run(t, "", nil, "man", "-w", "hop")); where != "/usr/share/man/man1/hop.1" && where != "/usr/share/man/man1/hop.1.gz" {
		t.Errorf("man -w hop: %q", where)
	}

	run(t, "", nil, "dpkg", "-r", "hop")
	installed = false
	for _, f := range files {
		if _, err := os.Lstat(f); err == nil {
			t.Errorf("dpkg -r hop left %s", f)
		}
	}
	if out, err := exec.Command("dpkg", "-s", "hop").CombinedOutput(); err == nil && !strings.Contains(string(out), "deinstall") {
		t.Errorf("dpkg -s hop after removal:\n%s", out)
	}
}

// shellAssignments quotes env for a shell command line.
func shellAssignments(env []string) string {
	quoted := make([]string, len(env))
	for i, kv := range env {
		quoted[i] = shellQuote(kv)
	}
	return strings.Join(quoted, " ")
}
