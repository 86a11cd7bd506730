package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hop-cli/hop/front"
	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// These tests cover what hop starts (a browser, credential_process
// helpers, the child), what it waits for, and how it ends.

// writeScript writes an executable shell script.
func writeScript(t *testing.T, path, body string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

// helperDocument is a credential_process document whose secret is
// recognisable.
func helperDocument(secret string) string {
	doc, _ := json.Marshal(map[string]any{
		"Version": 1, "AccessKeyId": "AKIAHELPERKEY", "SecretAccessKey": secret, "Expiration": "2099-01-01T00:00:00Z",
	})
	return string(doc)
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

// waitPid waits for a helper to write a pid to path.
func waitPid(t *testing.T, h *running, path string) int {
	t.Helper()
	data := waitFile(t, h, path)
	pid, err := strconv.Atoi(strings.TrimSpace(data))
	if err != nil {
		t.Fatalf("pid file %q: %v", data, err)
	}
	return pid
}

// ended reports whether pid has exited (a zombie waiting for its reaper
// has).
func ended(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	return strings.HasPrefix(rest, "Z")
}

// awaitEnded fails t unless the helper's grandchild pid ends within ten
// seconds.
func awaitEnded(t *testing.T, pid int) {
	t.Helper()
	limit := time.After(10 * time.Second)
	for !ended(pid) {
		select {
		case <-limit:
			t.Fatalf("the helper's grandchild %d survived hop", pid)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// TestSignalEndsAHangingHelper: a helper that never answers, and the
// grandchild it started, end with hop when hop is told to stop, and hop
// exits as a shell reports a command SIGTERM stopped.
func TestSignalEndsAHangingHelper(t *testing.T) {
	e := testenv.Start(t)
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "grandchild")
	helper := writeScript(t, filepath.Join(dir, "hang"), "sleep 300 &\necho $! > "+pidFile+".tmp\nmv "+pidFile+".tmp "+pidFile+"\nwait\n")
	e.AppendConfig(t, "[profile hang]\ncredential_process = "+helper+" --slowly\n")
	marker := filepath.Join(dir, "ran")
	h := startHop(t, e.Environ(), "exec", "hang", "--", "touch", marker)
	grandchild := waitPid(t, h, pidFile)
	if err := h.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	r := h.wait(t, 10*time.Second)
	if r.code != 143 {
		t.Errorf("hop exited %d after SIGTERM, want 143; stderr %q", r.code, r.stderr)
	}
	failed(t, r, "profile hang:", `credential_process "`+helper+`"`)
	awaitEnded(t, grandchild)
	if ran(marker) {
		t.Error("the child ran")
	}
}

// TestSignalsWhileSigningIn: hop waiting for a sign-in, and hop waiting
// for that hop's lock, end as a shell reports a command the signal
// stopped: 130 on Ctrl-C, 143 on SIGTERM and 129 on SIGHUP, starting no
// child.
func TestSignalsWhileSigningIn(t *testing.T) {
	e := testenv.Start(t)
	e.IDC.SetAutoApprove(false)
	marker := filepath.Join(t.TempDir(), "ran")
	for sig, want := range map[syscall.Signal]int{syscall.SIGINT: 130, syscall.SIGTERM: 143, syscall.SIGHUP: 129} {
		signing := startHop(t, e.Environ(), "exec", "requires3", "--", "touch", marker)
		signing.waitStderr(t, "confirm the code")
		waiting := startHop(t, e.Environ(), "exec", "requires3", "--", "touch", marker)
		waiting.waitStderr(t, "waiting for another hop process")
		for _, h := range []*running{waiting, signing} {
			if err := h.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			r := h.wait(t, 10*time.Second)
			if r.code != want {
				t.Errorf("after %v hop exited %d, want %d; stderr %q", sig, r.code, want, r.stderr)
			}
			failed(t, r, "interrupted")
		}
	}
	if ran(marker) {
		t.Error("a child ran")
	}
}

// TestExportAsCredentialProcessWithoutTerminal: run by the AWS CLI with
// no terminal and no sign-in, hop fails at once saying what to run, and
// starts no sign-in nobody could see.
func TestExportAsCredentialProcessWithoutTerminal(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, "[profile via-hop]\ncredential_process = "+hopBin+" export --format process requires3\nregion = "+testenv.Region+"\n")
	// setsid: no controlling terminal, as under a service or an IDE.
	cli := exec.Command("setsid", "aws", "sts", "get-caller-identity", "--profile", "via-hop")
	cli.Env = e.Environ()
	out, err := cli.CombinedOutput()
	if err == nil {
		t.Fatalf("aws succeeded without a sign-in:\n%s", out)
	}
	if !strings.Contains(string(out), "hop login requires3") {
		t.Errorf("the AWS CLI's error does not say to run 'hop login requires3':\n%s", out)
	}
	if n := e.IDC.Count(idc.OpStartDeviceAuthorization) + e.IDC.Count(idc.OpAuthorize) + e.IDC.Count(idc.OpRegisterClient); n != 0 {
		t.Errorf("hop started a sign-in with no terminal: %v", e.IDC.Counts())
	}

	// Signed in, the same line works.
	if r := hop(t, e.Environ(), "login", "requires3"); r.code != 0 {
		t.Fatalf("hop login: %s", r.stderr)
	}
	cli = exec.Command("setsid", "aws", "sts", "get-caller-identity", "--profile", "via-hop")
	cli.Env = e.Environ()
	if out, err := cli.CombinedOutput(); err != nil || !strings.Contains(string(out), testenv.RoleName) {
		t.Errorf("after hop login: %v\n%s", err, out)
	}
}

// TestExecExitCodes: the shell's statuses for a command that cannot run,
// the profile checked before the command, and the front (handing over)
// and hop-core answering alike.
func TestExecExitCodes(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("warming the cache: %s", r.stderr)
	}
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, []byte("echo hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage")
	if err := os.WriteFile(garbage, []byte{0, 1, 2, 3, 0xff, 0xfe}, 0o755); err != nil {
		t.Fatal(err)
	}
	core := filepath.Join(filepath.Dir(hopBin), filepath.FromSlash(front.CorePath))
	for _, c := range []struct {
		name string
		args []string
		code int
		says string
	}{
		{"a command where the profile goes", []string{"exec", "aws", "sts", "get-caller-identity"}, 1, `profile "aws" not found`},
		{"a command not found", []string{"exec", "requires3", "--", "no-such-command-hop"}, 127, `command "no-such-command-hop" not found`},
		{"a file that is not executable", []string{"exec", "requires3", "--", plain}, 126, "cannot run " + plain},
		{"a directory", []string{"exec", "requires3", "--", dir}, 126, "cannot run " + dir},
		{"a file the kernel cannot run", []string{"exec", "requires3", garbage}, 126, "cannot run " + garbage},
	} {
		t.Run(c.name, func(t *testing.T) {
			fromFront := runBin(t, hopBin, env, c.args...)
			fromCore := runBin(t, core, env, c.args...)
			for _, r := range []result{fromFront, fromCore} {
				if r.code != c.code || !strings.Contains(r.stderr, c.says) {
					t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, c.code, c.says)
				}
			}
			if fromFront != fromCore {
				t.Errorf("the front gives %+v, hop-core %+v", fromFront, fromCore)
			}
		})
	}
}

// TestMFACodeCheckedBeforeAnyCall: a malformed --mfa-token fails naming
// the flag, before a sign-in or any call to STS.
func TestMFACodeCheckedBeforeAnyCall(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, "[profile mfa]\nrole_arn = "+testenv.RoleARN+"\nsource_profile = example\nmfa_serial = arn:aws:iam::123412341234:mfa/alice\n")
	marker := filepath.Join(t.TempDir(), "ran")
	for _, code := range []string{"abcdef", "12345", "1234567", "12 456"} {
		e.ResetCounts()
		r := hop(t, e.Environ(), "exec", "--mfa-token", code, "mfa", "--", "touch", marker)
		failed(t, r, "--mfa-token", "six digits")
		if n := e.Calls(); n != 0 {
			t.Errorf("--mfa-token %q: %d calls (emulator %v, moto %v), want none", code, n, e.IDC.Counts(), e.Moto.Counts())
		}
	}
	if ran(marker) {
		t.Error("a child ran")
	}
}

// TestExportGivesWhatExecGives: the variables export prints are the ones
// exec's child gets, region included, so the AWS CLI works after an eval
// with no region of its own.
func TestExportGivesWhatExecGives(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	for _, kv := range env {
		if strings.HasPrefix(kv, "AWS_REGION=") || strings.HasPrefix(kv, "AWS_DEFAULT_REGION=") {
			t.Fatalf("the test environment sets %s", kv)
		}
	}
	cmd := exec.Command("bash", "-c", `set -e; eval "$("$HOP" export requires3)"; aws s3api list-buckets --query 'Buckets[].Name' --output text`)
	cmd.Env = append(env, "HOP="+hopBin)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), testenv.Bucket) {
		t.Fatalf("eval \"$(hop export requires3)\"; aws s3api list-buckets: %v\n%s", err, out)
	}

	for _, region := range []string{"", "eu-west-3"} {
		args := []string{"requires3"}
		if region != "" {
			args = append(args, "--region", region)
		}
		child := childEnv(t, hop(t, env, append(append([]string{"exec"}, args...), "--", "env", "-0")...))
		r := hop(t, env, append([]string{"export", "--format", "json"}, args...)...)
		var exported map[string]string
		if err := json.Unmarshal([]byte(r.stdout), &exported); err != nil {
			t.Fatalf("export --format json: %v\n%s", err, r.stderr)
		}
		if region != "" && exported["AWS_REGION"] != region {
			t.Errorf("--region %s: AWS_REGION=%q", region, exported["AWS_REGION"])
		}
		for name, v := range child {
			if !strings.HasPrefix(name, "AWS_") && !strings.HasPrefix(name, "HOP_") || strings.HasPrefix(name, "AWS_ENDPOINT_URL") || name == "AWS_CONFIG_FILE" || name == "AWS_SHARED_CREDENTIALS_FILE" || name == "AWS_EC2_METADATA_DISABLED" || name == "HOP_BACKEND" || name == "HOP_FILE_DIR" || name == "HOP_NO_BROWSER" {
				continue
			}
			if exported[name] != v {
				t.Errorf("region %q: the child gets %s=%q, export prints %q", region, name, v, exported[name])
			}
		}
		if exported["AWS_SESSION_EXPIRATION"] == "" || exported["AWS_DEFAULT_REGION"] == "" {
			t.Errorf("export prints %v", exported)
		}
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
