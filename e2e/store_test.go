//go:build e2e && unix

package e2e

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// endlessServer answers every request with a 200 whose body opens a
// string the decoder must read to its end, and never ends it. To keep a
// hop without a bound from taking the machine with it, it gives up after
// 256 MiB, far past the bound.
func endlessServer(t *testing.T, prefix string) *httptest.Server {
	t.Helper()
	chunk := []byte(strings.Repeat("A", 64<<10))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(prefix))
		for sent := 0; sent < 256<<20; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestEndlessAnswersAreBounded: an STS, SSO or OIDC endpoint that streams
// without end fails hop with a message naming it, and hop's memory stays
// near its usual size.
func TestEndlessAnswersAreBounded(t *testing.T) {
	e := testenv.Start(t)
	base := e.Environ()
	if r := hop(t, base, "exec", "example", "--", "true"); r.code != 0 {
		t.Fatalf("signing in: %s", r.stderr)
	}
	const jsonPrefix = `{"roleCredentials":{"accessKeyId":"`
	for _, c := range []struct {
		name, variable, prefix, profile string
		freshHome                       bool
	}{
		{"STS", "AWS_ENDPOINT_URL_STS", `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>`, "requires3", false},
		{"SSO", "AWS_ENDPOINT_URL_SSO", jsonPrefix, "example", false},
		{"OIDC", "AWS_ENDPOINT_URL_SSO_OIDC", jsonPrefix, "example", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := endlessServer(t, c.prefix)
			env := setenv(base, c.variable+"="+srv.URL, "HOP_FILE_DIR="+filepath.Join(t.TempDir(), "keyring"))
			if c.freshHome {
				env = setenv(env, "HOME="+t.TempDir())
			}
			h := startHop(t, env, "exec", c.profile, "--", "true")
			r := h.wait(t, time.Minute)
			t.Log(failed(t, r, strings.TrimPrefix(srv.URL, "http://"), "larger than 1 MiB"))
			// ru_maxrss is in KiB on Linux.
			if rss := h.cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10; rss > 128<<20 {
				t.Errorf("hop grew to %d MiB reading the answer", rss>>20)
			}
		})
	}
}

// TestTokenCacheFIFO: a FIFO planted at the SSO token cache's path fails
// hop at once, naming it, instead of hanging it with the sign-in lock
// held.
func TestTokenCacheFIFO(t *testing.T) {
	e := testenv.Start(t)
	env := setenv(e.Environ(), "HOP_FILE_DIR="+filepath.Join(t.TempDir(), "keyring"))
	path := e.CLITokenPath()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		r := hopWithin(t, 30*time.Second, env, "exec", "example", "--", "true")
		t.Log(failed(t, r, path, "named pipe"))
		if strings.Contains(r.stderr, "waiting for another hop") {
			t.Errorf("the lock was not released: %q", r.stderr)
		}
	}
}

const devProfiles = `
[profile dev]
sso_session = corp
sso_account_id = ` + testenv.AccountID + `
sso_role_name = ` + testenv.PermissionSet + `

[profile dev:ro]
sso_session = corp
sso_account_id = ` + testenv.AccountID + `
sso_role_name = ` + testenv.PermissionSet + `
region = eu-west-1
`

// TestClearMatchesTheProfileExactly: clearing dev leaves dev:ro's session,
// and clearing a name that is neither cached nor configured says so.
func TestClearMatchesTheProfileExactly(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, devProfiles)
	env := e.Environ()
	for _, p := range []string{"dev", "dev:ro"} {
		if r := hop(t, env, "exec", p, "--", "true"); r.code != 0 {
			t.Fatalf("hop exec %s: %s", p, r.stderr)
		}
	}
	if r := hop(t, env, "clear", "dev"); r.code != 0 || !strings.Contains(r.stderr, "removed 1 cached session") {
		t.Fatalf("hop clear dev: exit %d, stderr %q", r.code, r.stderr)
	}
	e.ResetCounts()
	if r := hop(t, env, "exec", "dev:ro", "--", "true"); r.code != 0 || e.Calls() != 0 {
		t.Errorf("dev:ro after clearing dev: exit %d, %d calls (want 0: still cached), stderr %q", r.code, e.Calls(), r.stderr)
	}

	r := hop(t, env, "clear", "nosuch")
	failed(t, r, `profile "nosuch" is not in `, "no session cached for it")
	if r := hop(t, env, "clear", "dev"); r.code != 0 || !strings.Contains(r.stderr, "removed 0 cached session") {
		t.Errorf("clearing a configured profile with nothing cached: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestClearSSOSignsOutAtOnce: with Identity Center taking sign-outs and
// never answering, clear --sso signs out of every session at once, each
// for a few seconds at most, and removes every token. The server counts
// the sign-outs in flight: they all arrive before any is answered.
func TestClearSSOSignsOutAtOnce(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "example", "--", "true"); r.code != 0 {
		t.Fatalf("signing in: %s", r.stderr)
	}
	sessions := []string{testenv.SSOSession, "s1", "s2", "s3"}
	cache := filepath.Dir(e.CLITokenPath())
	tokenPath := func(session string) string {
		sum := sha1.Sum([]byte(session))
		return filepath.Join(cache, hex.EncodeToString(sum[:])+".json")
	}
	for _, s := range sessions[1:] {
		e.AppendConfig(t, "\n[sso-session "+s+"]\nsso_start_url = https://"+s+".example/start\nsso_region = us-east-1\n"+
			"\n[profile p-"+s+"]\nsso_session = "+s+"\nsso_account_id = "+testenv.AccountID+"\nsso_role_name = "+testenv.PermissionSet+"\n")
		tok, _ := json.Marshal(map[string]string{"startUrl": "https://" + s + ".example/start", "region": "us-east-1",
			"accessToken": "token-" + s, "expiresAt": time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05Z")})
		if err := os.WriteFile(tokenPath(s), tok, 0o600); err != nil {
			t.Fatal(err)
		}
	}

	var mu sync.Mutex
	inFlight, most := 0, 0
	allIn := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		if inFlight == len(sessions) {
			close(allIn)
		}
		mu.Unlock()
		select {
		case <-allIn:
			w.WriteHeader(http.StatusBadRequest)
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(hanging.Close)

	r := hopWithin(t, 20*time.Second, setenv(env, "AWS_ENDPOINT_URL_SSO="+hanging.URL), "clear", "--sso")
	if r.code != 0 {
		t.Fatalf("hop clear --sso: exit %d, stderr %q", r.code, r.stderr)
	}
	mu.Lock()
	if most != len(sessions) {
		t.Errorf("at most %d sign-outs were in flight at once, want all %d", most, len(sessions))
	}
	mu.Unlock()
	for _, s := range sessions {
		if _, err := os.Stat(tokenPath(s)); err == nil {
			t.Errorf("the token of session %s is still cached", s)
		}
	}
	if n := strings.Count(r.stderr, "hop: signed out of "); n != len(sessions) {
		t.Errorf("%d sessions reported signed out, want %d; stderr %q", n, len(sessions), r.stderr)
	}
}

// TestWrongPassphrase: a file keyring opened with the wrong passphrase is
// an error that names the passphrase and the keyring, not a cache miss:
// hop must not fetch and overwrite the items it cannot read.
func TestWrongPassphrase(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("filling the keyring: %s", r.stderr)
	}
	dir := getenv(env, "HOP_FILE_DIR")
	before := snapshot(t, dir)
	e.ResetCounts()
	marker := filepath.Join(t.TempDir(), "ran")
	r := hopWithin(t, time.Minute, setenv(env, "HOP_FILE_PASSPHRASE=not-the-passphrase"), "exec", "requires3", "--", "touch", marker)
	t.Logf("stderr: %s", r.stderr)
	failed(t, r, "HOP_FILE_PASSPHRASE", dir)
	if ran(marker) {
		t.Error("the child ran")
	}
	if n := e.Calls(); n != 0 {
		t.Errorf("%d network calls with a keyring hop cannot read, want 0", n)
	}
	if after := snapshot(t, dir); !equalSnapshots(before, after) {
		t.Error("the keyring changed under the wrong passphrase")
	}
	// A profile with nothing cached yet gets its credentials, but they
	// are not stored under a passphrase that does not open the rest.
	e.AppendConfig(t, "[profile example-eu]\nsso_session = corp\nsso_account_id = "+testenv.AccountID+
		"\nsso_role_name = "+testenv.PermissionSet+"\nregion = eu-west-1\n")
	r = hopWithin(t, time.Minute, setenv(env, "HOP_FILE_PASSPHRASE=not-the-passphrase"), "exec", "example-eu", "--", "touch", marker)
	if r.code != 0 || !ran(marker) || !strings.Contains(r.stderr, "HOP_FILE_PASSPHRASE") {
		t.Errorf("an uncached profile under the wrong passphrase: exit %d, child ran %v, stderr %q; want the child run and a warning", r.code, ran(marker), r.stderr)
	}
	os.Remove(marker)
	if after := snapshot(t, dir); !equalSnapshots(before, after) {
		t.Error("an item was written under the wrong passphrase")
	}
	// No passphrase and no terminal to ask on: the command still runs,
	// uncached, and hop says why and what to set.
	var none []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "HOP_FILE_PASSPHRASE=") {
			none = append(none, kv)
		}
	}
	cmd := exec.Command("setsid", hopBin, "exec", "requires3", "--", "touch", marker)
	cmd.Env = none
	out, err := cmd.CombinedOutput()
	if err != nil || !ran(marker) || !strings.Contains(string(out), "HOP_FILE_PASSPHRASE") {
		t.Errorf("without a passphrase: %v, child ran %v, output %q", err, ran(marker), out)
	}
	if after := snapshot(t, dir); !equalSnapshots(before, after) {
		t.Error("the keyring changed without a passphrase")
	}

	// The right passphrase still finds everything.
	e.ResetCounts()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 || e.Calls() != 0 {
		t.Errorf("with the right passphrase: exit %d, %d calls, stderr %q", r.code, e.Calls(), r.stderr)
	}

	// The way out the message offers for a forgotten passphrase: clear,
	// then a new passphrase works, without a new sign-in.
	other := setenv(env, "HOP_FILE_PASSPHRASE=a-new-passphrase")
	if r := hop(t, other, "clear"); r.code != 0 {
		t.Fatalf("hop clear: %s", r.stderr)
	}
	e.ResetCounts()
	if r := hop(t, other, "exec", "requires3", "--", "true"); r.code != 0 || e.IDC.Count(idc.OpStartDeviceAuthorization) != 0 {
		t.Errorf("after clear: exit %d, counts %v, stderr %q", r.code, e.IDC.Counts(), r.stderr)
	}
	checkCaches(t, e, other)
}

func TestClear(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := hop(t, env, "clear", "requires3")
	if r.code != 0 || !strings.Contains(r.stderr, "removed 1 cached session") {
		t.Fatalf("hop clear requires3: exit %d, stderr %q", r.code, r.stderr)
	}
	// requires3 is assumed again; example's session is still cached.
	e.ResetCounts()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if e.Moto.Count("sts:AssumeRole") != 1 || e.IDC.Total() != 0 {
		t.Errorf("after clear requires3: moto %v, idc %v", e.Moto.Counts(), e.IDC.Counts())
	}

	r = hop(t, env, "clear", "--sso")
	if r.code != 0 || e.IDC.Count(idc.OpLogout) != 1 {
		t.Fatalf("hop clear --sso: exit %d, stderr %q, counts %v", r.code, r.stderr, e.IDC.Counts())
	}
	if _, err := os.Stat(e.CLITokenPath()); err == nil {
		t.Error("the SSO token is still cached")
	}
	e.ResetCounts()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if e.IDC.Count(idc.OpStartDeviceAuthorization) != 1 {
		t.Errorf("after clear --sso, want a new sign-in: %v", e.IDC.Counts())
	}
}
