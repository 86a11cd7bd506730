//go:build windows_smoke

// Package winsmoke runs hop built for Windows under Wine against the test
// world on loopback (moto, the fault proxy): make test-windows runs it,
// with HOP_WINE_RUN naming the runner scripts/windows/wine.sh prints.
package winsmoke

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// winPath is path as a Windows program under Wine sees it: Wine maps the
// Unix root to drive Z:.
func winPath(path string) string { return `Z:` + strings.ReplaceAll(path, "/", `\`) }

// built is hop for windows/amd64, laid out as make install lays it out.
func built(t *testing.T) string {
	dir := t.TempDir()
	front := filepath.Join(dir, "bin", "hop.exe")
	for _, b := range []struct{ out, pkg string }{
		{filepath.Join(dir, "libexec", "hop", "hop-core.exe"), "."},
		{front, "./cmd/hop"},
	} {
		cmd := exec.Command("go", "build", "-o", b.out, b.pkg)
		cmd.Dir = "../.."
		cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", b.pkg, err, out)
		}
	}
	return front
}

type result struct {
	stdout, stderr string
	code           int
}

// wine runs the Windows program bin under Wine in env.
func wine(t *testing.T, env []string, stdin string, bin string, args ...string) result {
	t.Helper()
	runner := os.Getenv("HOP_WINE_RUN")
	if runner == "" {
		t.Fatal("HOP_WINE_RUN is not set: run make test-windows")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, runner, append([]string{bin}, args...)...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	cmd.WaitDelay = 5 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("hop %v under Wine still running after 2m; stderr: %s", args, r.stderr)
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("hop %v under Wine: %v", args, err)
	}
	return r
}

// TestWindowsSmoke: hop.exe assumes a role through moto on loopback, passes
// the child's exit status on, caches the session in the file keyring (the
// second run calls no STS), starts COMSPEC with no command, and exports in
// PowerShell's syntax by default.
func TestWindowsSmoke(t *testing.T) {
	hop := built(t)
	e := testenv.Start(t)
	e.AppendConfig(t, "\n[profile static]\naws_access_key_id = "+e.Assumer.AccessKeyID+"\naws_secret_access_key = "+e.Assumer.SecretAccessKey+
		"\n\n[profile win]\nrole_arn = "+testenv.RoleARN+"\nsource_profile = static\nregion = "+testenv.Region+"\n")
	var env []string
	for _, kv := range e.Environ() {
		name, value, _ := strings.Cut(kv, "=")
		switch name {
		case "PATH":
			// Wine's own PATH finds cmd.exe.
			continue
		case "HOME":
			env = append(env, "USERPROFILE="+winPath(value))
		case "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "HOP_FILE_DIR":
			value = winPath(value)
		}
		env = append(env, name+"="+value)
	}
	env = append(env, "PATH="+os.Getenv("PATH"), "WINEDEBUG=-all")

	assumed := func() int {
		n := 0
		for _, c := range e.Moto.Calls() {
			if c.Operation == "sts:AssumeRole" {
				n++
			}
		}
		return n
	}
	r := wine(t, env, "", hop, "exec", "win", "--", "cmd", "/c", "exit 7")
	if r.code != 7 {
		t.Fatalf("hop exec win -- cmd /c \"exit 7\": exit %d, want 7; stderr %q", r.code, r.stderr)
	}
	if got := assumed(); got != 1 {
		t.Errorf("%d AssumeRole calls after the first exec, want 1", got)
	}

	r = wine(t, env, "", hop, "exec", "win", "--", "cmd", "/c", "set AWS_")
	if r.code != 0 {
		t.Fatalf("hop exec win -- cmd /c set AWS_: exit %d; stderr %q", r.code, r.stderr)
	}
	if got := assumed(); got != 1 {
		t.Errorf("%d AssumeRole calls after the second exec, want still 1: the file keyring kept no session", got)
	}
	key := regexp.MustCompile(`(?m)^AWS_ACCESS_KEY_ID=(\S+)\r?$`).FindStringSubmatch(r.stdout)
	if key == nil || key[1] == e.Assumer.AccessKeyID {
		t.Fatalf("the child's environment has no role keys:\n%s", r.stdout)
	}
	entries, err := os.ReadDir(filepath.Join(e.Home, ".hop-keyring"))
	if err != nil || len(entries) == 0 {
		t.Errorf("the file keyring holds nothing (%v)", err)
	}

	// No command: COMSPEC's cmd.exe, reading its commands from stdin.
	r = wine(t, env, "exit 5\r\n", hop, "exec", "win")
	if r.code != 5 {
		t.Errorf("hop exec win, then exit 5 in the shell it started: exit %d, want 5; stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}

	r = wine(t, env, "", hop, "export", "win")
	if r.code != 0 {
		t.Fatalf("hop export win: exit %d; stderr %q", r.code, r.stderr)
	}
	if want := "$Env:AWS_ACCESS_KEY_ID = '" + key[1] + "'"; !strings.Contains(r.stdout, want) {
		t.Errorf("hop export win printed no %s:\n%s", want, r.stdout)
	}
}
