//go:build e2e && unix

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hop-cli/hop/version"
)

// goInstall builds pkg into dir as `go install` names it (after the
// package's directory; the module root's binary is hop), stamped with v.
func goInstall(t *testing.T, dir, pkg, v string) {
	t.Helper()
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(pkg)
	if pkg == "." {
		name = "hop"
	}
	cmd := exec.Command("go", "build", "-ldflags", "-X github.com/hop-cli/hop/version.version="+v, "-o", filepath.Join(dir, name), pkg)
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
}

func versionOf(t *testing.T, bin string, env []string) version.Info {
	t.Helper()
	r := runBin(t, bin, env, "version", "--json")
	var info version.Info
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &info) != nil {
		t.Fatalf("%s version --json: exit %d, stdout %q, stderr %q", bin, r.code, r.stdout, r.stderr)
	}
	return info
}

// TestGoInstallLayouts: `go install github.com/hop-cli/hop/cmd/...` puts
// the front and hop-core side by side in GOBIN, and the front finds
// hop-core there; `go install github.com/hop-cli/hop` installs hop-core
// alone, as hop, and `hop version` says so and how to get the front.
func TestGoInstallLayouts(t *testing.T) {
	env := append(os.Environ(), "HOME="+t.TempDir())
	both, alone := t.TempDir(), t.TempDir()
	goInstall(t, both, "./cmd/hop", "v9.8.7")
	goInstall(t, both, "./cmd/hop-core", "v9.8.7")
	goInstall(t, alone, ".", "v9.8.7")

	front := filepath.Join(both, "hop")
	if r := runBin(t, front, env, "help", "exec"); r.code != 0 || !strings.Contains(r.stdout, "Usage: hop exec") {
		t.Errorf("the front beside hop-core: hop help exec: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	got := versionOf(t, front, env)
	if got.Version != "v9.8.7" || got.Binary != "hop-core" {
		t.Errorf("the front beside hop-core: version %+v", got)
	}
	if core := versionOf(t, filepath.Join(both, "hop-core"), env); core != got {
		t.Errorf("the front says %+v, hop-core %+v", got, core)
	}

	r := runBin(t, filepath.Join(alone, "hop"), env, "version")
	if r.code != 0 || !strings.Contains(r.stdout, "hop v9.8.7\n") || !strings.Contains(r.stdout, "hop-core alone") || !strings.Contains(r.stdout, "go install github.com/hop-cli/hop/cmd/...@latest") {
		t.Errorf("hop-core alone: hop version: exit %d, stdout %q", r.code, r.stdout)
	}

	// A front with no hop-core near it says where it looked and how to
	// install one.
	lone := t.TempDir()
	goInstall(t, lone, "./cmd/hop", "v9.8.7")
	r = runBin(t, filepath.Join(lone, "hop"), env, "help")
	if r.code == 0 || !strings.Contains(r.stderr, "cannot start hop-core") || !strings.Contains(r.stderr, "go install github.com/hop-cli/hop/cmd/...@latest") {
		t.Errorf("a front alone: exit %d, stderr %q", r.code, r.stderr)
	}
}
