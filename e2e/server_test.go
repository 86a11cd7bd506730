//go:build e2e && unix

package e2e

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// served is the credential server's answer.
type served struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	Token           string
	Expiration      time.Time
	AccountID       string `json:"AccountId"`
}

// getCreds is a child's shell function: one request the way an SDK makes it.
const getCreds = `get() { curl -sS -H "Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN" "$AWS_CONTAINER_CREDENTIALS_FULL_URI"; }; `

// TestServerAWSCLI has the real aws CLI, as --server's child, list the
// buckets with credentials it fetches from the endpoint; its environment
// holds no keys, not even the parent's.
func TestServerAWSCLI(t *testing.T) {
	e := testenv.Start(t)
	env := setenv(e.Environ(), "AWS_ACCESS_KEY_ID=AKIAOUTER", "AWS_SECRET_ACCESS_KEY=outer", "AWS_SESSION_TOKEN=outer",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/outer")
	r := hop(t, env, "exec", "--server", "requires3", "--", "aws", "s3api", "list-buckets", "--query", "Buckets[].Name", "--output", "text")
	if r.code != 0 || !strings.Contains(r.stdout, testenv.Bucket) {
		t.Fatalf("aws s3api list-buckets under --server: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	// No command: the user's shell, here a stand-in that prints its
	// environment.
	vars := childEnv(t, hop(t, setenv(env, "SHELL=/usr/bin/env"), "exec", "--server", "requires3", "--", "env", "-0"))
	for _, name := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION",
		"AWS_SESSION_EXPIRATION", "HOP_EXPIRES_AT", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "HOP_FILE_PASSPHRASE"} {
		if v, ok := vars[name]; ok {
			t.Errorf("the child has %s=%q; a served child must have no keys and no countdown", name, v)
		}
	}
	u, err := url.Parse(vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"])
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || len(u.Path) < 16 {
		t.Errorf("AWS_CONTAINER_CREDENTIALS_FULL_URI=%q, want http://127.0.0.1:PORT/<random path>", vars["AWS_CONTAINER_CREDENTIALS_FULL_URI"])
	}
	if tok := vars["AWS_CONTAINER_AUTHORIZATION_TOKEN"]; len(tok) < 32 {
		t.Errorf("AWS_CONTAINER_AUTHORIZATION_TOKEN=%q: want at least 128 random bits", tok)
	}
	want := map[string]string{"HOP_SERVER": "1", "HOP_PROFILE": "requires3", "HOP_ACCOUNT_ID": testenv.AccountID, "AWS_REGION": testenv.Region}
	for name, v := range want {
		if vars[name] != v {
			t.Errorf("the child has %s=%q, want %q", name, vars[name], v)
		}
	}
	r = hop(t, setenv(env, "SHELL=/usr/bin/env"), "exec", "--server", "requires3")
	if r.code != 0 || !strings.Contains(r.stdout, "\nHOP_SERVER=1\n") {
		t.Errorf("with no command the child is not $SHELL under the server: exit %d, stdout %q", r.code, r.stdout)
	}
}

// TestServerRefusesStrangers asks the endpoint with no token, a wrong
// token and a foreign Host (a DNS-rebinding page): none gets credentials.
func TestServerRefusesStrangers(t *testing.T) {
	e := testenv.Start(t)
	script := `u=$AWS_CONTAINER_CREDENTIALS_FULL_URI; tok=$AWS_CONTAINER_AUTHORIZATION_TOKEN; hostport=${u#http://}; hostport=${hostport%%/*}
b=$(mktemp); ask() { n=$1; shift; printf '%s %s ' "$n" "$(curl -sS -o "$b" -w '%{http_code}' "$@")"; tr -d '\n' <"$b"; echo; }
ask none "$u"
ask wrong -H "Authorization: x$tok" "$u"
ask short -H "Authorization: ${tok%?}" "$u"
ask host -H "Authorization: $tok" -H "Host: rebound.example:${hostport#*:}" "$u"
ask localhost -H "Authorization: $tok" -H "Host: localhost:${hostport#*:}" "$u"
ask path -H "Authorization: $tok" "http://$hostport/"
ask right -H "Authorization: $tok" "$u"
`
	r := hop(t, e.Environ(), "exec", "--server", "requires3", "--", "sh", "-c", script)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	want := map[string]string{"none": "401", "wrong": "403", "short": "403", "host": "403", "localhost": "403", "path": "404", "right": "200"}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		name, rest, _ := strings.Cut(line, " ")
		status, body, _ := strings.Cut(rest, " ")
		if status != want[name] {
			t.Errorf("%s: status %s, want %s (body %s)", name, status, want[name], body)
		}
		seen++
		var got served
		err := json.Unmarshal([]byte(body), &got)
		switch {
		case name == "right" && (err != nil || got.AccessKeyID == "" || got.SecretAccessKey == "" || got.Token == "" || got.AccountID != testenv.AccountID):
			t.Errorf("right token: %s, want AccessKeyId, SecretAccessKey, Token, Expiration and AccountId", body)
		case name == "right" && time.Until(got.Expiration) < 15*time.Minute:
			t.Errorf("handed out credentials expiring at %s, under 15 minutes away", got.Expiration)
		case name != "right" && strings.Contains(body, "SecretAccessKey"):
			t.Errorf("%s: credentials in a refusal: %s", name, body)
		}
	}
	if seen != len(want) {
		t.Errorf("%d answers, want %d:\n%s", seen, len(want), r.stdout)
	}
}

// TestServerRefreshes starts a server holding credentials under the SDKs'
// 15 minutes (the emulator hands them out that short), then, while it
// runs, drops the cached sessions with `hop clear` and has the emulator
// hand out hour-long ones. The child's next request gets those: the server
// refreshed through the SSO token instead of handing out what it held,
// with no new sign-in; a second request costs no call at all.
func TestServerRefreshes(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.IDC.SetRoleCredentialsTTL(14 * time.Minute)
	dir := t.TempDir()
	// The child waits for the test between starting and asking.
	script := getCreds + `touch "$TEST_DIR/started"; while [ ! -e "$TEST_DIR/go" ]; do sleep 0.05; done; get; get`
	hopDone := make(chan result, 1)
	go func() {
		hopDone <- hop(t, setenv(env, "TEST_DIR="+dir), "exec", "--server", "example", "--", "sh", "-c", script)
	}()
	waitForFile(t, filepath.Join(dir, "started"), hopDone)
	if got := e.IDC.Count(idc.OpGetRoleCredentials); got != 1 {
		t.Errorf("%d GetRoleCredentials calls to start the server, want 1", got)
	}
	if r := hop(t, env, "clear", "example"); r.code != 0 {
		t.Fatalf("hop clear example: exit %d: %s", r.code, r.stderr)
	}
	e.IDC.SetRoleCredentialsTTL(time.Hour)
	if err := os.WriteFile(filepath.Join(dir, "go"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r := <-hopDone
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("want two answers, got %q (stderr %s)", r.stdout, r.stderr)
	}
	var got [2]served
	for i, line := range lines {
		if err := json.Unmarshal([]byte(line), &got[i]); err != nil || got[i].AccessKeyID == "" {
			t.Fatalf("answer %d: %q, want credentials (stderr %s)", i+1, line, r.stderr)
		}
	}
	if left := time.Until(got[0].Expiration); left < 50*time.Minute {
		t.Errorf("the server handed out credentials with %s left, want the emulator's new hour", left)
	}
	if got[1] != got[0] {
		t.Errorf("the second request got other credentials: %v, then %v", got[0].Expiration, got[1].Expiration)
	}
	if n := e.IDC.Count(idc.OpStartDeviceAuthorization) + e.IDC.Count(idc.OpAuthorize); n != 1 {
		t.Errorf("%d sign-ins, want the first one only", n)
	}
	if n := e.IDC.Count(idc.OpGetRoleCredentials); n != 2 {
		t.Errorf("%d GetRoleCredentials calls, want 2: the start and one refresh", n)
	}
}

// waitForFile waits for the child to create path, failing if hop ends
// first.
func waitForFile(t *testing.T, path string, hopDone chan result) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		select {
		case r := <-hopDone:
			t.Fatalf("hop ended before its child got going: exit %d, stderr %s", r.code, r.stderr)
		default:
		}
	}
	t.Fatalf("%s did not appear within a minute", path)
}

// TestServerSignalsAndStatus sends hop the signals it forwards: each
// reaches the child, whose exit status hop exits with, and the endpoint is
// closed once the child is gone. A child a signal killed has hop die of
// that signal too, quietly (Go's runtime answers a SIGQUIT hop sends
// itself with a dump of its goroutines), as the shell would have seen of
// the child replacing hop.
func TestServerSignalsAndStatus(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	// The trap is set before the child says it is ready.
	waiting := `; echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI"; while :; do sleep 0.05; done`
	cases := []struct {
		name   string
		script string
		signal syscall.Signal
		want   int
		died   syscall.Signal
	}{
		{"SIGTERM", `trap 'exit 42' TERM` + waiting, syscall.SIGTERM, 42, 0},
		{"SIGINT", `trap 'exit 43' INT` + waiting, syscall.SIGINT, 43, 0},
		{"SIGHUP", `trap 'exit 44' HUP` + waiting, syscall.SIGHUP, 44, 0},
		{"SIGQUIT", `trap 'exit 45' QUIT` + waiting, syscall.SIGQUIT, 45, 0},
		{"SIGWINCH", `trap 'exit 46' WINCH` + waiting, syscall.SIGWINCH, 46, 0},
		{"SIGTERM unhandled", `true` + waiting, syscall.SIGTERM, 0, syscall.SIGTERM},
		{"status", `echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI"; exit 3`, 0, 3, 0},
		{"killed", `echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI"; kill -KILL $$`, 0, 0, syscall.SIGKILL},
		// bash -c ignores SIGQUIT; sh does not.
		{"quit", `echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI"; exec sh -c 'kill -QUIT $$'`, 0, 0, syscall.SIGQUIT},
		{"broken pipe", `echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI"; kill -PIPE $$`, 0, 0, syscall.SIGPIPE},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), hopBin, "exec", "--server", "example", "--", "bash", "-c", c.script)
			cmd.Env = env
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			uri, err := bufio.NewReader(out).ReadString('\n')
			if err != nil {
				cmd.Wait()
				t.Fatalf("the child said nothing: %v; stderr %s", err, stderr.String())
			}
			if c.signal != 0 {
				cmd.Process.Signal(c.signal)
			}
			err = cmd.Wait()
			var exit *exec.ExitError
			switch errors.As(err, &exit); {
			case c.died != 0:
				if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != c.died || stderr.Len() != 0 {
					t.Errorf("hop ended with %v, want death by %v and nothing on stderr; stderr %s", err, c.died, stderr.String())
				}
			case exit == nil && c.want != 0 || exit != nil && exit.ExitCode() != c.want:
				t.Errorf("hop exited with %v, want status %d; stderr %s", err, c.want, stderr.String())
			}
			u, err := url.Parse(strings.TrimSpace(uri))
			if err != nil || u.Host == "" {
				t.Fatalf("the child printed %q, not the endpoint", uri)
			}
			if conn, err := net.Dial("tcp", u.Host); err == nil {
				conn.Close()
				t.Errorf("%s still accepts connections after the child exited", u.Host)
			}
		})
	}
}

// TestServerNeedsSignIn has the user sign out while the server runs with
// credentials too short to hand out: requests fail at once, the terminal
// gets one line naming what to do (not one per request), no sign-in starts;
// once the user signs in from another terminal, the next request succeeds.
func TestServerNeedsSignIn(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.IDC.SetRoleCredentialsTTL(14 * time.Minute)
	dir := t.TempDir()
	script := `ask() { curl -sS -o /dev/null -w '%{http_code}\n' -H "Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN" "$AWS_CONTAINER_CREDENTIALS_FULL_URI"; }
touch "$TEST_DIR/started"; while [ ! -e "$TEST_DIR/expired" ]; do sleep 0.05; done
ask; ask; touch "$TEST_DIR/refused"; while [ ! -e "$TEST_DIR/signed-in" ]; do sleep 0.05; done; ask`
	hopDone := make(chan result, 1)
	go func() {
		hopDone <- hop(t, setenv(env, "TEST_DIR="+dir), "exec", "--server", "example", "--", "sh", "-c", script)
	}()
	waitForFile(t, filepath.Join(dir, "started"), hopDone)
	// Signed out: the SSO token is gone, the cached sessions too.
	if r := hop(t, env, "clear", "--sso", "example"); r.code != 0 {
		t.Fatalf("hop clear --sso example: exit %d: %s", r.code, r.stderr)
	}
	signIns := e.IDC.Count(idc.OpStartDeviceAuthorization)
	if err := os.WriteFile(filepath.Join(dir, "expired"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	waitForFile(t, filepath.Join(dir, "refused"), hopDone)
	if got := e.IDC.Count(idc.OpStartDeviceAuthorization); got != signIns {
		t.Errorf("the server started a sign-in by itself")
	}
	e.IDC.SetRoleCredentialsTTL(time.Hour)
	if r := hop(t, env, "login", "example"); r.code != 0 {
		t.Fatalf("hop login example: exit %d: %s", r.code, r.stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "signed-in"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r := <-hopDone
	if got := strings.Fields(r.stdout); strings.Join(got, " ") != "503 503 200" {
		t.Errorf("statuses %v, want 503 503 200: refused while nobody signed in, served after; stderr:\n%s", got, r.stderr)
	}
	var notices []string
	for _, line := range strings.Split(r.stderr, "\n") {
		if strings.Contains(line, "refreshing the credentials for profile example") {
			notices = append(notices, line)
		}
	}
	if len(notices) != 1 || !strings.Contains(notices[0], "hop login") {
		t.Errorf("want one line on the terminal saying to run hop login; stderr:\n%s", r.stderr)
	}
}

// TestServerNeedsMFACode serves a role that wants an MFA code and lasts the
// 15 minutes STS allows at least: the first refresh needs a code, which
// the server never asks for, so the request fails at once and the terminal
// says once what to do.
func TestServerNeedsMFACode(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, "[profile mfa]\nrole_arn = "+testenv.RoleARN+"\nsource_profile = example\nmfa_serial = arn:aws:iam::"+
		testenv.AccountID+":mfa/someone\nduration_seconds = 900")
	script := `ask() { curl -sS -o /dev/null -w '%{http_code}\n' -H "Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN" "$AWS_CONTAINER_CREDENTIALS_FULL_URI"; }; ask; ask`
	r := hop(t, e.Environ(), "exec", "--server", "--mfa-token", "123456", "mfa", "--", "sh", "-c", script)
	if got := strings.Fields(r.stdout); strings.Join(got, " ") != "503 503" {
		t.Errorf("statuses %v, want 503 503: credentials under 15 minutes and no code to renew them; stderr:\n%s", got, r.stderr)
	}
	if n := strings.Count(r.stderr, "refreshing the credentials"); n != 1 || !strings.Contains(r.stderr, "MFA code") || !strings.Contains(r.stderr, "hop clear mfa && hop exec mfa -- true") {
		t.Errorf("want one line on the terminal about the MFA code and what to run; stderr:\n%s", r.stderr)
	}
}

// signalCounter is a child that writes, one line each, its parent's pid
// once ready and the name of every SIGINT, SIGTERM and SIGCONT it
// receives, as the
// kernel delivers them (Python's wakeup fd gets a byte per delivery, where
// a shell's trap runs once for several). It turns the terminal's echo off,
// as a program asking for a secret does, and exits 42 on SIGTERM without
// turning it back on.
const signalCounter = `import os, signal, sys, termios
log = open(sys.argv[1], "a", buffering=1)
r, w = os.pipe()
os.set_blocking(w, False)
signal.set_wakeup_fd(w)
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGCONT):
    signal.signal(s, lambda *_: None)
modes = termios.tcgetattr(0)
modes[3] &= ~termios.ECHO
termios.tcsetattr(0, termios.TCSANOW, modes)
log.write("ready %d\n" % os.getppid())
while True:
    for s in os.read(r, 16):
        log.write(signal.Signals(s).name + "\n")
        if s == signal.SIGTERM:
            sys.exit(42)
`

// TestServerCtrlCOnTerminal presses Ctrl-C once at a terminal where a
// --server child runs: the child gets one SIGINT, not a second one
// forwarded by hop (a second Ctrl-C means "abort now" to terraform). Then
// a SIGTERM sent to hop reaches the child once; since hop forwards in the
// order it receives, a SIGINT hop had forwarded would be logged before it.
// hop exits with the child's status and gives the terminal back echoing.
func TestServerCtrlCOnTerminal(t *testing.T) {
	e := testenv.Start(t)
	dir := t.TempDir()
	child := filepath.Join(dir, "counter.py")
	if err := os.WriteFile(child, []byte(signalCounter), 0o600); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "signals")
	p := onTerminal(t, e.Environ(), hopBin+" exec --server requires3 -- python3 "+child+" "+log)
	lines := waitForLines(t, p, log, 1)
	hopPid, err := strconv.Atoi(strings.TrimPrefix(lines[0], "ready "))
	if err != nil {
		t.Fatalf("the child's first line is %q, want ready and hop's pid", lines[0])
	}
	p.Press("C-c")
	waitForLines(t, p, log, 2)
	if err := syscall.Kill(hopPid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	screen := p.WaitFor("hop-exit=")
	got, _ := os.ReadFile(log)
	if want := lines[0] + "\nSIGINT\nSIGTERM\n"; string(got) != want {
		t.Errorf("the child received:\n%s\nwant one SIGINT (Ctrl-C) and one SIGTERM (to hop):\n%s", got, want)
	}
	if !strings.Contains(screen, "hop-exit=42") {
		t.Errorf("hop did not exit with the child's status 42:\n%s", screen)
	}
	if strings.Contains(screen, "\n-echo") {
		t.Errorf("the terminal was left without echo:\n%s", screen)
	}
}

// waitForLines waits until the file at path holds n lines, and returns
// them, failing if the pane's command ends first.
func waitForLines(t *testing.T, p *pane, path string, n int) []string {
	t.Helper()
	for deadline := time.Now().Add(hopRunLimit); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		data, _ := os.ReadFile(path)
		if lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"); strings.HasSuffix(string(data), "\n") && len(lines) >= n {
			return lines
		}
		if screen := p.Screen(); strings.Contains(screen, "hop-exit=") {
			t.Fatalf("hop ended before the child wrote %d lines to %s:\n%s", n, path, screen)
		}
	}
	t.Fatalf("%s did not get %d lines", path, n)
	return nil
}

// TestServerCtrlZOnTerminal presses Ctrl-Z where a --server child holds
// the terminal. Under a shell with job control, hop stops beside its child
// and the shell gets the terminal back; fg gives it to the child again.
// Under one without (no shell could continue hop), the child goes on at
// once. Either way the next Ctrl-C reaches the child, once.
func TestServerCtrlZOnTerminal(t *testing.T) {
	e := testenv.Start(t)
	dir := t.TempDir()
	child := filepath.Join(dir, "counter.py")
	if err := os.WriteFile(child, []byte(signalCounter), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, jobControl := range []bool{true, false} {
		t.Run(fmt.Sprintf("job control %v", jobControl), func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "signals")
			command := hopBin + " exec --server requires3 -- python3 " + child + " " + log
			var p *pane
			if jobControl {
				start := "exec env -i"
				for _, kv := range e.Environ() {
					start += " " + shellQuote(kv)
				}
				p = startPane(t, start+" PS1='$ ' bash --norc --noprofile -i\n", "")
				p.TypeLine(command)
			} else {
				p = onTerminal(t, e.Environ(), command)
			}
			lines := waitForLines(t, p, log, 1)
			p.Press("C-z")
			if jobControl {
				p.WaitFor("Stopped")
				p.TypeLine("echo shell-$((6*7))")
				p.WaitFor("shell-42")
				p.TypeLine("fg")
			}
			// hop continues the child once it has the terminal again.
			waitForLines(t, p, log, 2)
			p.Press("C-c")
			waitForLines(t, p, log, 3)
			hopPid, err := strconv.Atoi(strings.TrimPrefix(lines[0], "ready "))
			if err != nil {
				t.Fatalf("the child's first line is %q, want ready and hop's pid", lines[0])
			}
			syscall.Kill(hopPid, syscall.SIGTERM)
			if jobControl {
				p.TypeLine("echo hop-exit=$?")
			}
			screen := p.WaitFor("hop-exit=4")
			if !strings.Contains(screen, "hop-exit=42") {
				t.Errorf("hop did not exit with the child's status 42:\n%s", screen)
			}
			got, _ := os.ReadFile(log)
			if want := lines[0] + "\nSIGCONT\nSIGINT\nSIGTERM\n"; string(got) != want {
				t.Errorf("the child received:\n%s\nwant a SIGCONT (from hop), one SIGINT (Ctrl-C) and one SIGTERM (to hop):\n%s", got, want)
			}
		})
	}
}

// TestServerFloodedWithoutToken: while hop runs under a limit of 512
// descriptors, the test holds 600 connections to its endpoint without the
// token, half of them after one refused request. The child's aws CLI is
// still served, and hop prints nothing: net/http's complaints (a failed
// accept, once a second) are no use on the terminal.
func TestServerFloodedWithoutToken(t *testing.T) {
	e := testenv.Start(t)
	if r := hop(t, e.Environ(), "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("signing in: exit %d: %s", r.code, r.stderr)
	}
	dir := t.TempDir()
	uriFile, goFile := filepath.Join(dir, "uri"), filepath.Join(dir, "go")
	child := fmt.Sprintf(`printf '%%s\n' "$AWS_CONTAINER_CREDENTIALS_FULL_URI" >%s
while [ ! -e %s ]; do sleep 0.05; done
exec aws sts get-caller-identity --query Account --output text`, shellQuote(uriFile), shellQuote(goFile))
	cmd := exec.Command("sh", "-c", `ulimit -n 512 && exec "$0" "$@"`, hopBin, "exec", "--server", "requires3", "--", "sh", "-c", child)
	cmd.Env = e.Environ()
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var uri string
	for deadline := time.Now().Add(hopRunLimit); uri == ""; time.Sleep(20 * time.Millisecond) {
		data, _ := os.ReadFile(uriFile)
		uri = strings.TrimSpace(string(data))
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the child never wrote its endpoint; stderr:\n%s", stderr.String())
		}
	}
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 600 {
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if i%2 == 1 {
			fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", u.Path, u.Host)
		}
	}
	if err := os.WriteFile(goFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	select {
	case err = <-exited:
	case <-time.After(hopRunLimit):
		cmd.Process.Kill()
		t.Fatalf("hop still running after %s; stderr:\n%s", hopRunLimit, stderr.String())
	}
	if err != nil || strings.TrimSpace(stdout.String()) != testenv.AccountID {
		t.Errorf("the child amid the flood: %v, stdout %q, want the account %s", err, stdout.String(), testenv.AccountID)
	}
	if stderr.Len() != 0 {
		t.Errorf("hop printed:\n%s", stderr.String())
	}
}
