//go:build e2e && unix

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
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

// spyScript looks for a passphrase in its parent's (hop-core's)
// environment and memory through /proc, and appends what it found to a
// file: "environ" and "mem", each "unreadable", "found" or "absent". As a
// credential_process helper it then prints keys; as a child it waits for
// a file to appear.
const spyScript = `#!/bin/bash
out=$1 needle=$2 then=$3 p=$PPID
environ() {
	if ! cat /proc/$p/environ >/dev/null 2>&1; then echo unreadable
	elif grep -qaF -- "$needle" /proc/$p/environ; then echo found
	else echo absent; fi
}
mem() {
	if ! { exec 3</proc/$p/mem; } 2>/dev/null; then echo unreadable; return; fi
	exec 3<&-
	while read -r range perms rest; do
		case $perms in rw*) ;; *) continue ;; esac
		start=$((16#${range%-*})) end=$((16#${range#*-}))
		if dd if=/proc/$p/mem bs=65536 iflag=skip_bytes,count_bytes skip=$start count=$((end - start)) 2>/dev/null | grep -qaF -- "$needle"; then
			echo found; return
		fi
	done </proc/$p/maps
	echo absent
}
printf 'environ %s\nmem %s\n' "$(environ)" "$(mem)" >>"$out"
case $then in
keys) cat "$4" ;;
wait) while [ ! -e "$4" ]; do sleep 0.05; done ;;
esac
`

// unprivilegedUser is a user that is not root, made if need be, for the
// tests where root would be let through what a user is refused.
func unprivilegedUser(t *testing.T) *syscall.Credential {
	t.Helper()
	const name = "hop-test"
	id := func(flag string) (uint32, error) {
		out, err := exec.Command("id", flag, name).Output()
		if err != nil {
			return 0, err
		}
		n, err := strconv.ParseUint(strings.TrimSpace(string(out)), 10, 32)
		return uint32(n), err
	}
	if _, err := id("-u"); err != nil {
		if out, err := exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name).CombinedOutput(); err != nil {
			// Another test may have made it meanwhile.
			if _, again := id("-u"); again != nil {
				t.Fatalf("useradd %s (the test runs as root to make one): %v\n%s", name, err, out)
			}
		}
	}
	uid, err := id("-u")
	if err != nil {
		t.Fatal(err)
	}
	gid, err := id("-g")
	if err != nil {
		t.Fatal(err)
	}
	return &syscall.Credential{Uid: uid, Gid: gid, Groups: []uint32{}}
}

// TestChildrenCannotReadHop runs hop as an unprivileged user with the file
// keyring. Its credential_process helper and its --server child, of the
// same user, look for the passphrase in hop-core's environment and memory
// through /proc: both are refused. hop-core's environment, read as root,
// does not hold it either (the front hands it over through a pipe), nor
// does the child's. hop still works: the session it cached in the file
// keyring serves the next runs, hop-core's and the front's.
func TestChildrenCannotReadHop(t *testing.T) {
	user := unprivilegedUser(t)
	e := testenv.Start(t)
	env := e.Environ()
	var passphrase string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "HOP_FILE_PASSPHRASE="); ok {
			passphrase = v
		}
	}

	// hop, installed where the user can run it.
	inst := filepath.Join(e.Home, "inst")
	for _, part := range []string{"bin/hop", "libexec/hop/hop-core"} {
		src := filepath.Join(filepath.Dir(filepath.Dir(hopBin)), part)
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(inst, part)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	userHop := filepath.Join(inst, "bin", "hop")

	spy := filepath.Join(e.Home, "spy")
	if err := os.WriteFile(spy, []byte(spyScript), 0o700); err != nil {
		t.Fatal(err)
	}
	keys, err := json.Marshal(map[string]any{"Version": 1, "AccessKeyId": e.Assumer.AccessKeyID,
		"SecretAccessKey": e.Assumer.SecretAccessKey, "Expiration": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	keysFile := filepath.Join(e.Home, "keys.json")
	if err := os.WriteFile(keysFile, keys, 0o600); err != nil {
		t.Fatal(err)
	}
	helperOut, childOut, done := filepath.Join(e.Home, "helper.out"), filepath.Join(e.Home, "child.out"), filepath.Join(e.Home, "done")
	e.AppendConfig(t, fmt.Sprintf("[profile spied-source]\ncredential_process = %s %s %s keys %s\n\n[profile spied]\nrole_arn = arn:aws:iam::%s:role/RoleForS3\nsource_profile = spied-source\n",
		spy, helperOut, passphrase, keysFile, testenv.AccountID))

	// The user owns the world, and can reach it.
	if err := filepath.Walk(e.Home, func(path string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, int(user.Uid), int(user.Gid))
	}); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Dir(e.Home), 0o711); err != nil {
		t.Fatal(err)
	}
	asUser := func(args ...string) *exec.Cmd {
		cmd := exec.Command(userHop, args...)
		cmd.Env = env
		cmd.Dir = e.Home
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: user}
		cmd.WaitDelay = 5 * time.Second
		return cmd
	}

	cmd := asUser("exec", "--server", "spied", "--", spy, childOut, passphrase, "wait", done)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for deadline := time.Now().Add(hopRunLimit); ; time.Sleep(20 * time.Millisecond) {
		if data, _ := os.ReadFile(childOut); strings.Count(string(data), "\n") == 2 {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("hop ended (%v) before its child looked; stderr:\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the child never wrote %s; stderr:\n%s", childOut, stderr.String())
		}
	}
	// Read as root, who may: the front replaced itself with hop-core.
	if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", cmd.Process.Pid)); filepath.Base(exe) != "hop-core" {
		t.Errorf("pid %d runs %s, not hop-core", cmd.Process.Pid, exe)
	}
	if environ, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", cmd.Process.Pid)); err != nil || strings.Contains(string(environ), passphrase) {
		t.Errorf("hop-core's environment holds the passphrase (or cannot be read: %v)", err)
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := <-exited; err != nil {
		t.Fatalf("hop exec --server as %d: %v; stderr:\n%s", user.Uid, err, stderr.String())
	}
	for _, out := range []string{helperOut, childOut} {
		data, _ := os.ReadFile(out)
		if string(data) != "environ unreadable\nmem unreadable\n" {
			t.Errorf("%s, looking at hop-core through /proc:\n%swant environ and mem unreadable", filepath.Base(out), data)
		}
	}

	// The session is in the file keyring: hop-core (--server) and the
	// front (a warm exec) read it without asking the helper again. The
	// child's environment holds no passphrase.
	for _, args := range [][]string{{"exec", "--server", "spied", "--", "true"}, {"exec", "spied", "--", "env"}} {
		out, err := asUser(args...).CombinedOutput()
		if err != nil {
			t.Fatalf("hop %s as %d: %v\n%s", strings.Join(args, " "), user.Uid, err, out)
		}
		if strings.Contains(string(out), passphrase) {
			t.Errorf("hop %s: the child's environment holds the passphrase", strings.Join(args, " "))
		}
	}
	if data, _ := os.ReadFile(helperOut); strings.Count(string(data), "\n") != 2 {
		t.Errorf("the helper ran again: the cached session was not read from the file keyring")
	}

	// hop-core started on its own, the passphrase in its environment,
	// starts itself again without it. Run as root, the child may read it.
	core := exec.Command(filepath.Join(inst, "libexec", "hop", "hop-core"), "exec", "--server", "spied", "--", "sh", "-c", "cat /proc/$PPID/environ")
	core.Env = env
	out, err := core.CombinedOutput()
	switch {
	case err != nil:
		t.Fatalf("hop-core on its own: %v\n%s", err, out)
	case !strings.Contains(string(out), "AWS_CONFIG_FILE="):
		t.Errorf("the child did not read hop-core's environment:\n%q", out)
	case strings.Contains(string(out), passphrase):
		t.Errorf("hop-core started on its own kept the passphrase in its environment")
	}
}

// TestRefusalsQuoteNoSecrets: an answer to a request that carried a
// secret is tainted: whatever it says, hop says the status and what to
// check, never its text, with or without --debug. The federation request
// carries the session's secret key and token; AssumeRole signed by a
// session carries its token; the container endpoint gets its
// authorization token.
func TestRefusalsQuoteNoSecrets(t *testing.T) {
	e := testenv.Start(t)
	echo := startEchoServer(t)
	const (
		staticToken    = "FwoGZXIvYXdzEStaticSessionTokenSECRET0123456789"
		staticSecret   = "staticSecretKeySECRET0123456789abcdefgh"
		containerToken = "ContainerAuthorizationTokenSECRET01234"
	)
	e.AppendConfig(t, `
[profile chained]
role_arn = arn:aws:iam::`+testenv.AccountID+`:role/Chained
source_profile = withtoken

[profile withtoken]
aws_access_key_id = ASIASTATICSESSION001
aws_secret_access_key = `+staticSecret+`
aws_session_token = `+staticToken+`

[profile container]
role_arn = arn:aws:iam::`+testenv.AccountID+`:role/Container
credential_source = EcsContainer
`)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("signing in: %s", r.stderr)
	}

	for _, debug := range []bool{false, true} {
		args := func(a ...string) []string {
			if debug {
				return append([]string{"--debug"}, a...)
			}
			return a
		}
		name := map[bool]string{false: "plain", true: "--debug"}[debug]

		t.Run("federation "+name, func(t *testing.T) {
			r := hop(t, setenv(env, "AWS_ENDPOINT_URL_SIGNIN="+echo.url), args("console", "requires3", "--print")...)
			failed(t, r, "HTTP 400", "AWS_ENDPOINT_URL_SIGNIN")
			got := echo.received()
			if len(got) == 0 || got[len(got)-1]["sessionKey"] == "" || got[len(got)-1]["sessionToken"] == "" {
				t.Fatalf("the federation endpoint got no session: %v", got)
			}
			s := got[len(got)-1]
			secrets := map[string]string{"the secret key": s["sessionKey"], "the session token": s["sessionToken"]}
			noSecrets(t, secrets, "stderr", r.stderr)
			noSecrets(t, secrets, "stdout", r.stdout)
		})

		t.Run("STS "+name, func(t *testing.T) {
			r := hop(t, setenv(env, "AWS_ENDPOINT_URL_STS="+echo.url), args("exec", "chained", "--", "true")...)
			failed(t, r, "profile chained", "HTTP 403")
			secrets := map[string]string{"the session token": staticToken, "the secret key": staticSecret}
			noSecrets(t, secrets, "stderr", r.stderr)
			noSecrets(t, secrets, "stdout", r.stdout)
		})

		t.Run("container endpoint "+name, func(t *testing.T) {
			r := hop(t, setenv(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI="+echo.url+"/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN="+containerToken),
				args("exec", "container", "--", "true")...)
			failed(t, r, "profile container", "HTTP 400")
			noSecrets(t, map[string]string{"the authorization token": containerToken}, "stderr", r.stderr+r.stdout)
		})

		t.Run("Identity Center "+name, func(t *testing.T) {
			// A fresh session cache makes hop ask for the role's
			// credentials with the SSO token it signed in for.
			token := e.ReadCLIToken(t).AccessToken
			r := hop(t, setenv(env, "AWS_ENDPOINT_URL_SSO="+echo.url, "HOP_FILE_DIR="+t.TempDir()), args("exec", "example", "--", "true")...)
			failed(t, r, "profile example", "HTTP 400")
			after := e.ReadCLIToken(t).AccessToken
			noSecrets(t, map[string]string{"the SSO access token": token, "the refreshed SSO access token": after}, "stderr", r.stderr+r.stdout)
		})
	}
}
