//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/faultproxy"
	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// TestDebug: --debug explains more, and shows no secret either.
func TestDebug(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	cold := hop(t, env, "--debug", "exec", "requires3", "--", "true")
	if cold.code != 0 {
		t.Fatalf("cold run: %s", cold.stderr)
	}
	secrets := knownSecrets(t, e)
	for k, v := range roleSecrets(t, env) {
		secrets[k] = v
	}
	noSecrets(t, secrets, "--debug stderr", cold.stderr)
	noSecrets(t, secrets, "--debug stdout", cold.stdout)
	if !strings.Contains(cold.stderr, "hop: debug: ") {
		t.Errorf("--debug said nothing: %q", cold.stderr)
	}

	// The same failure, with and without --debug.
	fresh := func() []string { return setenv(env, "HOP_FILE_DIR="+t.TempDir()) }
	e.Moto.Inject("sts:AssumeRole", 100, faultproxy.QueryError(500, "InternalFailure", "injected"))
	plain := hop(t, fresh(), "exec", "requires3", "--", "true")
	e.ResetCounts()
	e.Moto.Inject("sts:AssumeRole", 100, faultproxy.QueryError(500, "InternalFailure", "injected"))
	debug := hop(t, fresh(), "--debug", "exec", "requires3", "--", "true")
	t.Logf("plain: %s\ndebug: %s", plain.stderr, debug.stderr)
	if failed(t, plain) != failed(t, debug) {
		t.Error("--debug changed the error message")
	}
	if strings.Contains(plain.stderr, "debug") || strings.Count(debug.stderr, "\n") <= strings.Count(plain.stderr, "\n") {
		t.Errorf("--debug added no detail to the failure")
	}
	noSecrets(t, secrets, "stderr", plain.stderr)
	noSecrets(t, secrets, "--debug stderr", debug.stderr)
}

// TestSecretsStayOut follows the credentials hop handles, from a sign-in
// to a child, and looks for them everywhere they must not be: argv,
// hop's own output (with --debug too), error messages, and any file in
// plain text. It runs hop under umask 000, so every mode checked is one
// hop chose.
func TestSecretsStayOut(t *testing.T) {
	e := testenv.Start(t)
	tmp := t.TempDir()
	env := setenv(e.Environ(), "TMPDIR="+tmp, "HOP_FILE_DIR="+filepath.Join(e.Home, ".hop", "keyring"))
	// sh sets the umask and becomes hop, keeping its pid.
	umask0 := func(args ...string) *running {
		return start(t, env, exec.Command("sh", append([]string{"-c", `umask 000; exec "$0" "$@"`, hopBin}, args...)...))
	}

	// A cold run that waits for the user to confirm the sign-in.
	e.IDC.SetAutoApprove(false)
	cold := umask0("--debug", "exec", "requires3", "--", "true")
	cold.waitStderr(t, "confirm the code ")
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", cold.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(cmdline, []byte(hopBin)) {
		t.Fatalf("pid %d is not hop: %q", cold.cmd.Process.Pid, cmdline)
	}
	code := strings.Fields(cold.stderr.String()[strings.Index(cold.stderr.String(), "confirm the code ")+len("confirm the code "):])[0]
	if err := e.IDC.Approve(code); err != nil {
		t.Fatal(err)
	}
	coldRun := cold.wait(t, time.Minute)
	if coldRun.code != 0 {
		t.Fatalf("cold run: %s", coldRun.stderr)
	}

	// The credentials the child got, from the cache the cold run filled.
	warm := umask0("exec", "requires3", "--", "env", "-0").wait(t, time.Minute)
	role := map[string]string{}
	for k, v := range childEnv(t, warm) {
		switch k {
		case "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN":
			role["the role's "+k] = v
		case "HOP_FILE_PASSPHRASE":
			t.Error("HOP_FILE_PASSPHRASE reached the child")
		}
		if v == getenv(env, "HOP_FILE_PASSPHRASE") {
			t.Errorf("the child's %s holds the keyring passphrase", k)
		}
	}
	if len(role) != 3 {
		t.Fatalf("the child got %d role credentials, want 3", len(role))
	}
	sso := knownSecrets(t, e)
	all := map[string]string{}
	for _, m := range []map[string]string{sso, role} {
		for k, v := range m {
			all[k] = v
		}
	}
	noSecrets(t, all, "hop's argv while signing in", string(cmdline))
	noSecrets(t, all, "stdout of a cold run", coldRun.stdout)
	noSecrets(t, all, "--debug stderr of a cold run", coldRun.stderr)
	noSecrets(t, all, "stderr of a warm run", warm.stderr)

	// Failing after the sign-in, with the SSO role's keys in hand.
	e.Moto.Inject("sts:AssumeRole", 1, faultproxy.QueryError(403, "AccessDenied", "denied"))
	env = setenv(env, "HOP_FILE_DIR="+filepath.Join(e.Home, ".hop", "other"))
	denied := umask0("--debug", "exec", "requires3", "--", "true").wait(t, time.Minute)
	failed(t, denied, "not allowed to assume")
	noSecrets(t, all, "a --debug error", denied.stderr)

	// Files: the role's credentials and the SSO role's keys are in no
	// file in plain text; the SSO tokens only in the AWS CLI's cache,
	// which holds them by design.
	tokenFile := e.CLITokenPath()
	for _, dir := range []string{e.Home, tmp} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			noSecrets(t, role, path, string(data))
			if path != tokenFile {
				noSecrets(t, sso, path, string(data))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	// Modes: everything under HOME is hop's (or testenv's, which uses the
	// same modes): files 0600, directories 0700.
	var seen []string
	err = filepath.WalkDir(e.Home, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := os.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", path, info.Mode().Perm(), want)
		}
		rel, _ := filepath.Rel(e.Home, path)
		seen = append(seen, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Make sure the walk covered what hop writes.
	for _, want := range []string{".aws/sso/cache", ".cache/hop/locks", ".hop/keyring"} {
		found := false
		for _, s := range seen {
			found = found || s == want
		}
		if !found {
			t.Errorf("hop created no %s under HOME (saw %v)", want, seen)
		}
	}
}

// TestNoProcessHopStartsGetsThePassphrase: the browser hop opens and a
// credential_process helper see hop's environment without
// HOP_FILE_PASSPHRASE.
func TestNoProcessHopStartsGetsThePassphrase(t *testing.T) {
	e := testenv.Start(t)
	dir := t.TempDir()
	passphrase := getenv(e.Environ(), "HOP_FILE_PASSPHRASE")
	browserEnv, helperEnv := filepath.Join(dir, "browser.env"), filepath.Join(dir, "helper.env")
	browser := writeScript(t, filepath.Join(dir, "browser"), "env > "+browserEnv+"\nexec curl -fsSL \"$1\" >/dev/null\n")
	helper := writeScript(t, filepath.Join(dir, "helper"), "env > "+helperEnv+"\ncat <<'EOF'\n"+helperDocument("helper-secret")+"\nEOF\n")
	e.AppendConfig(t, "[profile helper]\ncredential_process = "+helper+"\n")
	var env []string
	for _, kv := range e.Environ() {
		if !strings.HasPrefix(kv, "HOP_NO_BROWSER=") {
			env = append(env, kv)
		}
	}
	env = append(env, "BROWSER="+browser)

	if r := hop(t, env, "login", "example"); r.code != 0 || e.IDC.Count(idc.OpAuthorize) != 1 {
		t.Fatalf("hop login through the browser: exit %d, counts %v, stderr %q", r.code, e.IDC.Counts(), r.stderr)
	}
	if r := hop(t, env, "export", "helper"); r.code != 0 || !strings.Contains(r.stdout, "helper-secret") {
		t.Fatalf("hop export helper: exit %d, stderr %q", r.code, r.stderr)
	}
	for _, path := range []string{browserEnv, helperEnv} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s was not started: %v", filepath.Base(path), err)
		}
		if !strings.Contains(string(data), "HOME=") {
			t.Fatalf("%s recorded no environment", path)
		}
		if strings.Contains(string(data), passphrase) || strings.Contains(string(data), "HOP_FILE_PASSPHRASE") {
			t.Errorf("%s: the process hop started inherited HOP_FILE_PASSPHRASE", filepath.Base(path))
		}
	}
}

// TestErrorsQuoteNoSecrets: errors built from a URL or from a helper's
// output say what is wrong without the secrets they carry.
func TestErrorsQuoteNoSecrets(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	secrets := roleSecrets(t, env)

	t.Run("a malformed sign-in endpoint", func(t *testing.T) {
		r := hop(t, setenv(env, "AWS_ENDPOINT_URL_SIGNIN=http://bad host"), "console", "requires3", "--print")
		failed(t, r, "AWS_ENDPOINT_URL_SIGNIN")
		noSecrets(t, secrets, "hop console's stderr", r.stderr)
		if strings.Contains(r.stderr, "Session=") {
			t.Errorf("the error quotes the federation request: %q", r.stderr)
		}
	})

	const secret = "helperSECRETkey0123456789"
	dir := t.TempDir()
	for _, c := range []struct{ name, out string }{
		{"notice", "Notice: your token " + secret + " was refreshed\n" + helperDocument(secret)},
		{"comma", strings.TrimSuffix(helperDocument(secret), "}") + ",}"},
	} {
		t.Run("a helper printing a "+c.name, func(t *testing.T) {
			helper := writeScript(t, filepath.Join(dir, c.name), "cat <<'EOF'\n"+c.out+"\nEOF\n")
			e.AppendConfig(t, "[profile "+c.name+"]\ncredential_process = "+helper+"\n")
			marker := filepath.Join(dir, c.name+".ran")
			r := hop(t, env, "exec", c.name, "--", "touch", marker)
			failed(t, r, "profile "+c.name+":", `credential_process "`+helper+`"`, "not a JSON document", "byte")
			if strings.Contains(r.stderr, secret) || strings.Contains(r.stderr, "Notice") {
				t.Errorf("stderr echoes the helper's output: %q", r.stderr)
			}
			if ran(marker) {
				t.Error("the child ran")
			}
		})
	}
}
