//go:build e2e && unix

package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

func TestConsole(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, "[profile keys]\naws_access_key_id = "+e.Assumer.AccessKeyID+"\naws_secret_access_key = "+e.Assumer.SecretAccessKey+"\n")
	env := append(e.Environ(), "AWS_ENDPOINT_URL_SIGNIN="+e.IDC.URL())
	r := hop(t, env, "console", "requires3", "--service", "s3", "--print")
	if r.code != 0 {
		t.Fatalf("hop console: %s", r.stderr)
	}
	url := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(url, e.IDC.URL()+"/federation?") || !strings.Contains(url, "Action=login") {
		t.Fatalf("sign-in URL %q", url)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got, want := resp.Header.Get("Location"), "https://console.aws.amazon.com/s3/home?region="+testenv.Region; got != want {
		t.Errorf("the sign-in lands on %q, want %q", got, want)
	}
	if e.IDC.Count(idc.OpGetSigninToken) != 1 {
		t.Errorf("getSigninToken called %d times", e.IDC.Count(idc.OpGetSigninToken))
	}
	r = hop(t, env, "console", "keys", "--print")
	if r.code == 0 || !strings.Contains(r.stderr, "temporary credentials") {
		t.Errorf("console with long-term keys: exit %d, stderr %q", r.code, r.stderr)
	}
}

// echoServer is a hostile endpoint on loopback that answers every request
// with an error quoting the secrets the request carried: the federation
// endpoint's Session, STS's session token, a container endpoint's
// authorization token. A proxy or a debugging server in the way does the
// same.
type echoServer struct {
	url string
	mu  sync.Mutex
	// sessions are the federation Sessions received.
	sessions []map[string]string
	// accept makes the federation endpoint hand out a sign-in token to
	// any Session, for tests of what it received.
	accept bool
}

func startEchoServer(t *testing.T) *echoServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &echoServer{url: "http://" + ln.Addr().String()}
	srv := &http.Server{Handler: http.HandlerFunc(s.serve)}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *echoServer) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Query().Get("Action") == "getSigninToken":
		raw := r.URL.Query().Get("Session")
		var session map[string]string
		json.Unmarshal([]byte(raw), &session)
		s.mu.Lock()
		s.sessions = append(s.sessions, session)
		s.mu.Unlock()
		if s.accept {
			json.NewEncoder(w).Encode(map[string]string{"SigninToken": "SIGNINtoken0123456789"})
			return
		}
		http.Error(w, "invalid Session: "+raw+" "+session["sessionKey"], http.StatusBadRequest)
	case r.Header.Get("X-Amz-Security-Token") != "":
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>token %s is not allowed</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
			r.Header.Get("X-Amz-Security-Token"))
	default:
		// Every header the request carried, the SSO access token and a
		// container's authorization token among them.
		var headers strings.Builder
		for name, values := range r.Header {
			fmt.Fprintf(&headers, "%s: %s; ", name, strings.Join(values, ","))
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"code": "AccessDenied", "message": "bad request " + headers.String()})
	}
}

func (s *echoServer) received() []map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]string(nil), s.sessions...)
}

// TestConsoleForStoredKey: the console for a profile whose chain ends at
// a stored IAM user key signs in with a GetFederationToken session made
// with the key itself (no GetSessionToken, no MFA), since the federation
// endpoint refuses GetSessionToken's sessions. moto answers each call
// with its own fixed credentials, so the session the federation endpoint
// receives says which call made it.
func TestConsoleForStoredKey(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.AppendConfig(t, keysConfig)
	alice := e.NewUser(t, "alice", append(aliceActions, "sts:GetFederationToken")...)
	addAlice(t, e, env, alice)
	fed := startEchoServer(t)
	fed.accept = true
	env = setenv(env, "AWS_ENDPOINT_URL_SIGNIN="+fed.url)

	client := sts.NewFromConfig(e.AWS(alice.Credentials()))
	federated, err := client.GetFederationToken(t.Context(), &sts.GetFederationTokenInput{Name: aws.String("probe")})
	if err != nil {
		t.Fatal(err)
	}
	session, err := client.GetSessionToken(t.Context(), &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	fedToken, sessToken := aws.ToString(federated.Credentials.SessionToken), aws.ToString(session.Credentials.SessionToken)
	if fedToken == sessToken {
		t.Fatal("moto answers GetFederationToken and GetSessionToken alike: the test cannot tell them apart")
	}

	e.ResetCounts()
	r := hopNoTTY(t, env, "console", "alice", "--print")
	if r.code != 0 || !strings.Contains(r.stdout, "SigninToken=SIGNINtoken0123456789") {
		t.Fatalf("hop console alice: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	calls := e.Moto.Calls()
	if len(calls) != 1 || calls[0].Operation != "sts:GetFederationToken" || calls[0].AccessKeyID != alice.AccessKeyID || calls[0].TokenCode != "" {
		t.Fatalf("calls %+v, want one GetFederationToken signed by alice's key %s, with no MFA", calls, alice.AccessKeyID)
	}
	got := fed.received()
	if len(got) != 1 || got[0]["sessionToken"] != fedToken {
		kind := "neither"
		if len(got) == 1 && got[0]["sessionToken"] == sessToken {
			kind = "GetSessionToken's"
		}
		t.Fatalf("the federation endpoint received %d sessions, the last %s; want GetFederationToken's", len(got), kind)
	}
	if !strings.Contains(r.stderr, "without MFA") {
		t.Errorf("alice has mfa_serial, and hop does not say the console session is made without MFA: %q", r.stderr)
	}

	// A code cannot be used: refused before any call.
	e.ResetCounts()
	r = hopNoTTY(t, env, "console", "alice", "--print", "--mfa-token", "123456")
	if r.code != 2 || !strings.Contains(r.stderr, "--mfa-token") || e.Calls() != 0 {
		t.Errorf("console alice --mfa-token: exit %d, %d calls, stderr %q; want a usage error and no call", r.code, e.Calls(), r.stderr)
	}

	r = hopNoTTY(t, env, "explain", "alice")
	if !strings.Contains(r.stdout, "console") || !strings.Contains(r.stdout, "GetFederationToken") {
		t.Errorf("hop explain alice does not say what the console uses:\n%s", r.stdout)
	}
	if r = hopNoTTY(t, env, "explain", "admin-role"); strings.Contains(r.stdout, "GetFederationToken") {
		t.Errorf("hop explain admin-role says GetFederationToken, though its console session is the role's:\n%s", r.stdout)
	}
}

// TestConsoleBrowserArgvHoldsNoToken: the browser is started with a
// file:// page, never the sign-in URL, which anyone on the machine could
// read from its command line and use for 15 minutes. The page is 0600 in
// a 0700 directory, forwards to the sign-in URL, and is gone when hop
// has finished.
func TestConsoleBrowserArgvHoldsNoToken(t *testing.T) {
	e := testenv.Start(t)
	record := t.TempDir()
	browser := writeScript(t, filepath.Join(t.TempDir(), "browser"), `out=`+record+`
printf '%s\n' "$@" > "$out/argv"
for a in "$@"; do
	case "$a" in file://*)
		p="${a#file://}"
		printf '%s' "$p" > "$out/path"
		stat -c %a "$p" > "$out/mode"
		stat -c %a "$(dirname "$p")" > "$out/dirmode"
		cp "$p" "$out/page"
	esac
done
touch "$out/done"
`)
	runtime := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(runtime, 0o700); err != nil {
		t.Fatal(err)
	}
	env := setenv(e.Environ(), "AWS_ENDPOINT_URL_SIGNIN="+e.IDC.URL(), "BROWSER="+browser, "XDG_RUNTIME_DIR="+runtime)

	r := hop(t, env, "console", "requires3")
	if r.code != 0 {
		t.Fatalf("hop console: exit %d, stderr %q", r.code, r.stderr)
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(record, name))
		if err != nil {
			t.Fatalf("the stand-in browser recorded no %s: %v", name, err)
		}
		return strings.TrimSpace(string(data))
	}
	read("done")
	argv := read("argv")
	if strings.Contains(argv, "SigninToken") || strings.Contains(argv, "Action=login") || !strings.HasPrefix(argv, "file://") {
		t.Errorf("the browser's argv is %q, want a file:// page and no sign-in URL", argv)
	}
	path := read("path")
	if dir := filepath.Dir(path); dir != filepath.Join(runtime, "hop") {
		t.Errorf("the page is in %s, want hop's directory in XDG_RUNTIME_DIR", dir)
	}
	if mode, dirMode := read("mode"), read("dirmode"); mode != "600" || dirMode != "700" {
		t.Errorf("the page is %s in a %s directory, want 600 in 700", mode, dirMode)
	}
	page := read("page")
	if !strings.Contains(page, e.IDC.URL()+"/federation?Action=login") || !strings.Contains(page, "SigninToken=") || !strings.Contains(page, "no-referrer") {
		t.Errorf("the page does not forward to the sign-in URL without a referrer:\n%s", page)
	}
	if e.IDC.Count(idc.OpGetSigninToken) != 1 {
		t.Errorf("getSigninToken called %d times", e.IDC.Count(idc.OpGetSigninToken))
	}
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the page %s is still there after hop ended (%v)", path, err)
	}

	// Ctrl-C while the page waits for the browser: the page goes at
	// once, and hop ends as interrupted.
	os.Remove(filepath.Join(record, "done"))
	cmd := osexec.Command(hopBin, "console", "requires3")
	cmd.Env = env
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(record, "done")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("hop did not start the browser within a minute")
		}
	}
	path = read("path")
	cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-waited:
	case <-time.After(hopRunLimit):
		cmd.Process.Kill()
		t.Fatal("hop did not end on SIGINT")
	}
	if status, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !(status.Signaled() && status.Signal() == syscall.SIGINT) && cmd.ProcessState.ExitCode() != 130 {
		t.Errorf("hop ended with %v on SIGINT, want 130 or the signal", cmd.ProcessState)
	}
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the page %s is still there after SIGINT (%v)", path, err)
	}

	// --print prints the URL and starts no browser.
	os.Remove(filepath.Join(record, "done"))
	r = hop(t, env, "console", "requires3", "--print")
	if r.code != 0 || !strings.Contains(r.stdout, "SigninToken=") {
		t.Fatalf("hop console --print: exit %d, stdout %q", r.code, r.stdout)
	}
	if _, err := os.Stat(filepath.Join(record, "done")); err == nil {
		t.Error("--print started the browser")
	}
}

// TestConsolePageForwardsInChromium: a real browser, handed the page,
// follows it to the sign-in URL, and the federation endpoint signs it in.
// It needs Debian's chromium and is skipped without it.
func TestConsolePageForwardsInChromium(t *testing.T) {
	chromium, err := osexec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed")
	}
	e := testenv.Start(t)
	record := t.TempDir()
	// The browser's output goes to a file: it may outlive hop, and
	// must not hold hop's pipes.
	browser := writeScript(t, filepath.Join(t.TempDir(), "browser"), `timeout 60 `+chromium+
		` --headless=new --no-sandbox --disable-gpu --user-data-dir=`+filepath.Join(record, "profile")+
		` --dump-dom "$1" >`+filepath.Join(record, "dom")+` 2>&1
touch `+filepath.Join(record, "done")+`
`)
	env := setenv(e.Environ(), "AWS_ENDPOINT_URL_SIGNIN="+e.IDC.URL(), "BROWSER="+browser+" %s", "XDG_RUNTIME_DIR="+t.TempDir())
	if r := hop(t, env, "console", "requires3"); r.code != 0 {
		t.Fatalf("hop console: exit %d, stderr %q", r.code, r.stderr)
	}
	done := filepath.Join(record, "done")
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(done); err == nil {
			break
		}
	}
	// The endpoint sends a sign-in with a good token on to the console,
	// which is out of reach here: chromium ends at its error page for it.
	dom, _ := os.ReadFile(filepath.Join(record, "dom"))
	if n := e.IDC.Count(idc.OpConsoleLogin); n != 1 || !strings.Contains(string(dom), "console.aws.amazon.com") || strings.Contains(string(dom), "invalid SigninToken") {
		t.Errorf("the federation endpoint saw %d sign-ins from chromium, want 1 that it sent on to the console; chromium's page:\n%.2000s", n, dom)
	}
}
