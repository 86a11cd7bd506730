package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/99designs/keyring"

	"github.com/hop-cli/hop/internal/faultproxy"
	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// These tests run hop against the real servers while things go wrong:
// many hops at once, failing and unreachable endpoints, damaged caches,
// signals. Each failure must end the same way: one clear line on stderr,
// a non-zero exit, no child, and caches left whole.

// running is a hop started in the background.
type running struct {
	cmd            *exec.Cmd
	stdout, stderr syncBuffer
	done           chan struct{}
	err            error
}

// syncBuffer is a bytes.Buffer that a test may read while hop writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startHop starts hop without waiting for it. It is killed if the test
// ends first.
func startHop(t *testing.T, env []string, args ...string) *running {
	t.Helper()
	return start(t, env, exec.Command(hopBin, args...))
}

// start starts cmd in env, as startHop does.
func start(t *testing.T, env []string, cmd *exec.Cmd) *running {
	t.Helper()
	r := &running{cmd: cmd, done: make(chan struct{})}
	r.cmd.Env = env
	r.cmd.Stdout, r.cmd.Stderr = &r.stdout, &r.stderr
	// Once hop is killed, a grandchild still holding its output must not
	// keep Wait (and the test) from returning.
	r.cmd.WaitDelay = 5 * time.Second
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("starting %v: %v", cmd.Args, err)
	}
	go func() {
		r.err = r.cmd.Wait()
		close(r.done)
	}()
	t.Cleanup(func() {
		r.cmd.Process.Kill()
		<-r.done
	})
	return r
}

// waitStderr waits until hop's stderr contains s. The limit only stops a
// broken hop from hanging the test; it is far above the normal wait.
func (r *running) waitStderr(t *testing.T, s string) {
	t.Helper()
	limit := time.After(60 * time.Second)
	for !strings.Contains(r.stderr.String(), s) {
		select {
		case <-r.done:
			t.Fatalf("hop exited (%v) before saying %q; stderr %q", r.err, s, r.stderr.String())
		case <-limit:
			t.Fatalf("hop did not say %q within a minute; stderr %q", s, r.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// wait waits for hop to exit, at most limit, which is far above how long
// the run should take: exceeding it means hop hangs.
func (r *running) wait(t *testing.T, limit time.Duration) result {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(limit):
		t.Fatalf("hop still running after %s; stderr %q", limit, r.stderr.String())
	}
	res := result{stdout: r.stdout.String(), stderr: r.stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(r.err, &exit):
		res.code = exit.ExitCode()
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			res.code = 128 + int(ws.Signal())
		}
	case r.err != nil:
		t.Fatalf("hop: %v", r.err)
	}
	return res
}

// hopWithin runs hop to completion, failing the test if it takes longer
// than limit.
func hopWithin(t *testing.T, limit time.Duration, env []string, args ...string) result {
	t.Helper()
	return startHop(t, env, args...).wait(t, limit)
}

// setenv returns env with the variables in kvs replaced or added.
func setenv(env []string, kvs ...string) []string {
	out := make([]string, 0, len(env)+len(kvs))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		replaced := false
		for _, n := range kvs {
			replaced = replaced || strings.HasPrefix(n, name+"=")
		}
		if !replaced {
			out = append(out, kv)
		}
	}
	return append(out, kvs...)
}

func getenv(env []string, name string) string {
	v := ""
	for _, kv := range env {
		if rest, ok := strings.CutPrefix(kv, name+"="); ok {
			v = rest
		}
	}
	return v
}

// closedPort is the URL of a 127.0.0.1 port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	return url
}

// failed checks that a run ended as every failure must: non-zero, no Go
// panic, and a last stderr line from hop that says each of wants. It
// returns that line.
func failed(t *testing.T, r result, wants ...string) string {
	t.Helper()
	if r.code == 0 {
		t.Fatalf("hop exited 0; stderr %q", r.stderr)
	}
	if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic:") {
		t.Fatalf("hop crashed: %s", r.stderr)
	}
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "hop: ") {
		t.Errorf("last stderr line %q is not hop's message; stderr %q", last, r.stderr)
	}
	for _, w := range wants {
		if !strings.Contains(last, w) {
			t.Errorf("message %q does not say %q", last, w)
		}
	}
	return last
}

func ran(marker string) bool {
	_, err := os.Stat(marker)
	return err == nil
}

// checkCaches asserts that the SSO token file is absent or a whole token,
// that no temporary file is left beside it, and that every keyring item
// decrypts to a whole session.
func checkCaches(t *testing.T, e *testenv.Env, env []string) {
	t.Helper()
	path := e.CLITokenPath()
	if data, err := os.ReadFile(path); err == nil {
		var tok testenv.CLIToken
		if err := json.Unmarshal(data, &tok); err != nil || tok.AccessToken == "" {
			t.Errorf("token file %s is not a whole token (%v): %q", path, err, data)
		} else if _, err := time.Parse("2006-01-02T15:04:05Z", tok.ExpiresAt); err != nil {
			t.Errorf("token file expiresAt %q: %v", tok.ExpiresAt, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		t.Error(err)
	}
	if entries, err := os.ReadDir(filepath.Dir(path)); err == nil {
		for _, d := range entries {
			if strings.HasSuffix(d.Name(), ".tmp") {
				t.Errorf("temporary file %s left in the token cache", d.Name())
			}
		}
	}
	kr := openKeyring(t, env)
	keys, err := kr.Keys()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		item, err := kr.Get(k)
		if err != nil {
			t.Errorf("keyring item %s: %v", k, err)
			continue
		}
		var s struct {
			AccessKeyID string    `json:"AccessKeyId"`
			Expiration  time.Time `json:"Expiration"`
		}
		if err := json.Unmarshal(item.Data, &s); err != nil || s.AccessKeyID == "" || s.Expiration.IsZero() {
			t.Errorf("keyring item %s is not a whole session (%v)", k, err)
		}
	}
}

// openKeyring opens the file keyring hop uses in env, as hop would.
func openKeyring(t *testing.T, env []string) keyring.Keyring {
	t.Helper()
	kr, err := keyring.Open(keyring.Config{
		AllowedBackends:  []keyring.BackendType{keyring.FileBackend},
		FileDir:          getenv(env, "HOP_FILE_DIR"),
		FilePasswordFunc: keyring.FixedStringPrompt(getenv(env, "HOP_FILE_PASSPHRASE")),
	})
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

// itemFile is the file keyring's file for profile's session.
func itemFile(t *testing.T, env []string, profile string) string {
	t.Helper()
	dir := getenv(env, "HOP_FILE_DIR")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range entries {
		if strings.HasPrefix(d.Name(), "hop:"+profile+":") {
			return filepath.Join(dir, d.Name())
		}
	}
	t.Fatalf("no keyring item for profile %s in %s", profile, dir)
	return ""
}

func inode(t *testing.T, path string) uint64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Sys().(*syscall.Stat_t).Ino
}

// TestSingleFlight starts a dozen cold hops on one profile at once: one
// of them signs in and fetches, the others wait for it and reuse its
// sessions, and every child runs.
func TestSingleFlight(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	dir := t.TempDir()
	const n = 12
	hops := make([]*running, n)
	for i := range hops {
		hops[i] = startHop(t, env, "exec", "requires3", "--", "touch", filepath.Join(dir, strconv.Itoa(i)))
	}
	codes, waited := 0, 0
	for i, h := range hops {
		r := h.wait(t, 2*time.Minute)
		if r.code != 0 {
			t.Errorf("hop %d exited %d: %s", i, r.code, r.stderr)
		}
		if !ran(filepath.Join(dir, strconv.Itoa(i))) {
			t.Errorf("hop %d's child did not run", i)
		}
		codes += strings.Count(r.stderr, "confirm the code")
		if strings.Contains(r.stderr, "hop: waiting for another hop process that is fetching credentials for profile requires3") {
			waited++
		}
	}
	if codes != 1 {
		t.Errorf("%d sign-in codes printed, want 1", codes)
	}
	if waited == 0 {
		t.Error("no hop said it was waiting for the one signing in")
	}
	want := map[string]int{idc.OpRegisterClient: 1, idc.OpStartDeviceAuthorization: 1, idc.OpCreateToken: 1, idc.OpGetRoleCredentials: 1}
	for op, n := range want {
		if got := e.IDC.Count(op); got != n {
			t.Errorf("%s called %d times, want %d", op, got, n)
		}
	}
	if got := e.Moto.Count("sts:AssumeRole"); got != 1 {
		t.Errorf("sts:AssumeRole called %d times, want 1", got)
	}
	checkCaches(t, e, env)
}

// TestKilledSignInLeavesNoLock kills a hop while it waits for a sign-in:
// the next hop must not wait for the dead one.
func TestKilledSignInLeavesNoLock(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.IDC.SetAutoApprove(false)
	marker := filepath.Join(t.TempDir(), "ran")
	h := startHop(t, env, "exec", "requires3", "--", "touch", marker)
	h.waitStderr(t, "confirm the code")
	if err := h.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if r := h.wait(t, time.Minute); r.code != 128+int(syscall.SIGKILL) {
		t.Fatalf("killed hop exited %d", r.code)
	}
	if _, err := os.Stat(e.CLITokenPath()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a killed sign-in left a token file (%v)", err)
	}

	e.IDC.SetAutoApprove(true)
	r := hopWithin(t, time.Minute, env, "exec", "requires3", "--", "touch", marker)
	if r.code != 0 || !ran(marker) {
		t.Fatalf("the next hop: exit %d, stderr %q", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "waiting for another hop process") {
		t.Errorf("the next hop waited for the killed one: %q", r.stderr)
	}
	checkCaches(t, e, env)
}

// fault is one way for the outside world to fail hop exec requires3.
type fault struct {
	name string
	// setup plans the fault and returns the environment to run in.
	setup func(t *testing.T, e *testenv.Env, env []string) []string
	// ok: hop recovers and the child runs; otherwise it fails saying wants.
	ok    bool
	wants []string
	// counts are the requests expected at the emulator (idc.Op*) and at
	// moto ("sts:AssumeRole"), as exact numbers or {min, max}.
	counts map[string][2]int
	// check looks at what is left afterwards.
	check func(t *testing.T, e *testenv.Env, env []string)
}

func exactly(n int) [2]int { return [2]int{n, n} }

// retried bounds the attempts the SDK's retryer makes at a persistent
// fault: more than one, and not unbounded.
var retried = [2]int{2, 5}

// TestFaults injects each fault into a signed-in setup with an empty
// session cache, so hop must fetch and meets the fault.
func TestFaults(t *testing.T) {
	e := testenv.Start(t)
	base := e.Environ()
	if r := hop(t, base, "exec", "example", "--", "true"); r.code != 0 {
		t.Fatalf("signing in: %s", r.stderr)
	}
	denied := "User: arn:aws:iam::" + testenv.AccountID + ":user/" + testenv.AssumerUser + " is not authorized to perform: sts:AssumeRole on resource: " + testenv.RoleARN
	var tokenInode uint64
	faults := []fault{
		{
			name: "Identity Center unreachable",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				return setenv(env, "AWS_ENDPOINT_URL_SSO="+closedPort(t))
			},
			wants:  []string{"profile example", "cannot reach http://127.0.0.1:", "connection refused", "check the network"},
			counts: map[string][2]int{idc.OpGetRoleCredentials: exactly(0)},
		},
		{
			name: "sign-in endpoint unreachable",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				// A HOME without a token: hop must sign in.
				return setenv(env, "HOME="+t.TempDir(), "AWS_ENDPOINT_URL_SSO_OIDC="+closedPort(t))
			},
			wants: []string{"https://corp.awsapps.com/start", "cannot reach http://127.0.0.1:", "connection refused"},
		},
		{
			name: "STS unreachable",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				return setenv(env, "AWS_ENDPOINT_URL_STS="+closedPort(t))
			},
			wants:  []string{"profile requires3", testenv.RoleARN, "cannot reach http://127.0.0.1:", "connection refused"},
			counts: map[string][2]int{idc.OpGetRoleCredentials: exactly(1)},
		},
		{
			name: "Identity Center answers 500",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				e.IDC.Fail(idc.OpGetRoleCredentials, 100, 500, "InternalServerException")
				return env
			},
			wants:  []string{"profile example", "AssumeRolePolicy", "HTTP 500", "try again later"},
			counts: map[string][2]int{idc.OpGetRoleCredentials: retried, "sts:AssumeRole": exactly(0)},
		},
		{
			name: "Identity Center answers 500 once",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				e.IDC.Fail(idc.OpGetRoleCredentials, 1, 500, "InternalServerException")
				return env
			},
			ok:     true,
			counts: map[string][2]int{idc.OpGetRoleCredentials: exactly(2), "sts:AssumeRole": exactly(1)},
		},
		{
			name: "STS answers 500",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				e.Moto.Inject("sts:AssumeRole", 100, faultproxy.QueryError(500, "InternalFailure", "injected"))
				return env
			},
			wants:  []string{"profile requires3", testenv.RoleARN, "HTTP 500", "try again later"},
			counts: map[string][2]int{"sts:AssumeRole": retried},
		},
		{
			name: "STS answers 500 once",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				e.Moto.Inject("sts:AssumeRole", 1, faultproxy.QueryError(500, "InternalFailure", "injected"))
				return env
			},
			ok:     true,
			counts: map[string][2]int{"sts:AssumeRole": exactly(2)},
		},
		{
			name: "Identity Center throttles",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				e.IDC.Fail(idc.OpGetRoleCredentials, 2, 429, "TooManyRequestsException")
				return env
			},
			ok:     true,
			counts: map[string][2]int{idc.OpGetRoleCredentials: exactly(3)},
		},
		{
			name: "STS throttles",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				e.Moto.Inject("sts:AssumeRole", 2, faultproxy.QueryError(400, "Throttling", "Rate exceeded"))
				return env
			},
			ok:     true,
			counts: map[string][2]int{"sts:AssumeRole": exactly(3)},
		},
		{
			name: "STS throttles without end",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				e.Moto.Inject("sts:AssumeRole", 100, faultproxy.QueryError(400, "Throttling", "Rate exceeded"))
				return env
			},
			wants:  []string{"profile requires3", "throttling", "Rate exceeded", "try again"},
			counts: map[string][2]int{"sts:AssumeRole": retried},
		},
		{
			name: "portal rejects the token: refreshed",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				e.IDC.Fail(idc.OpGetRoleCredentials, 1, 401, "UnauthorizedException")
				return env
			},
			ok: true,
			counts: map[string][2]int{idc.OpGetRoleCredentials: exactly(2), idc.OpCreateToken: exactly(1),
				idc.OpStartDeviceAuthorization: exactly(0), "sts:AssumeRole": exactly(1)},
		},
		{
			name: "portal rejects the token and refreshing fails: new sign-in",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				e.IDC.Fail(idc.OpGetRoleCredentials, 1, 401, "UnauthorizedException")
				e.IDC.Fail(idc.OpCreateToken, 1, 400, "InvalidGrantException")
				return env
			},
			ok: true,
			counts: map[string][2]int{idc.OpGetRoleCredentials: exactly(2), idc.OpCreateToken: exactly(2),
				idc.OpStartDeviceAuthorization: exactly(1), "sts:AssumeRole": exactly(1)},
		},
		{
			name: "AccessDenied on AssumeRole",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				e.Moto.Inject("sts:AssumeRole", 1, faultproxy.QueryError(403, "AccessDenied", denied))
				return env
			},
			wants:  []string{"profile requires3", "not allowed to assume " + testenv.RoleARN, "profile example", testenv.AssumerUser},
			counts: map[string][2]int{"sts:AssumeRole": exactly(1)},
		},
		{
			name: "expired SSO token",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				tok := e.ReadCLIToken(t)
				tok.ExpiresAt = time.Now().Add(-time.Hour).UTC().Format("2006-01-02T15:04:05Z")
				writeToken(t, e, tok)
				// Its refresh token has lapsed too: only a sign-in helps.
				e.IDC.ExpireRefreshTokens()
				tokenInode = inode(t, e.CLITokenPath())
				return env
			},
			ok:     true,
			counts: map[string][2]int{idc.OpStartDeviceAuthorization: exactly(1), idc.OpGetRoleCredentials: exactly(1)},
			check: func(t *testing.T, e *testenv.Env, env []string) {
				checkTokenReplaced(t, e, tokenInode)
			},
		},
		{
			name: "corrupt SSO token file",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				if err := os.WriteFile(e.CLITokenPath(), []byte(`{"startUrl": "https://corp.awsapps.com/start", "accessTo`), 0o600); err != nil {
					t.Fatal(err)
				}
				tokenInode = inode(t, e.CLITokenPath())
				return env
			},
			ok:     true,
			counts: map[string][2]int{idc.OpRegisterClient: exactly(1), idc.OpStartDeviceAuthorization: exactly(1)},
			check: func(t *testing.T, e *testenv.Env, env []string) {
				checkTokenReplaced(t, e, tokenInode)
			},
		},
		{
			name: "corrupt keyring items",
			setup: func(t *testing.T, e *testenv.Env, env []string) []string {
				if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
					t.Fatalf("filling the keyring: %s", r.stderr)
				}
				e.ResetCounts()
				// The role's item is garbage; the SSO hop's is cut short,
				// as by a crash while writing.
				if err := os.WriteFile(itemFile(t, env, "requires3"), []byte("garbage"), 0o600); err != nil {
					t.Fatal(err)
				}
				half := itemFile(t, env, "example")
				data, err := os.ReadFile(half)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(half, data[:len(data)/2], 0o600); err != nil {
					t.Fatal(err)
				}
				return env
			},
			ok:     true,
			counts: map[string][2]int{idc.OpGetRoleCredentials: exactly(1), "sts:AssumeRole": exactly(1)},
			check: func(t *testing.T, e *testenv.Env, env []string) {
				// checkCaches has decrypted both items: now a warm run.
				e.ResetCounts()
				if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 || e.Calls() != 0 {
					t.Errorf("after repair: exit %d, %d calls, stderr %q", r.code, e.Calls(), r.stderr)
				}
			},
		},
	}
	secrets := knownSecrets(t, e)
	for i, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			env := setenv(base, "HOP_FILE_DIR="+filepath.Join(t.TempDir(), "keyring"))
			e.ResetCounts()
			env = f.setup(t, e, env)
			marker := filepath.Join(t.TempDir(), "ran"+strconv.Itoa(i))
			r := hopWithin(t, time.Minute, env, "exec", "requires3", "--", "touch", marker)
			t.Logf("stderr: %s", r.stderr)
			if f.ok {
				if r.code != 0 || !ran(marker) {
					t.Errorf("exit %d, child ran %v; want recovery. stderr %q", r.code, ran(marker), r.stderr)
				}
			} else {
				failed(t, r, f.wants...)
				if ran(marker) {
					t.Error("the child ran")
				}
			}
			counts := e.IDC.Counts()
			for op, n := range e.Moto.Counts() {
				counts[op] = n
			}
			for op, want := range f.counts {
				if got := counts[op]; got < want[0] || got > want[1] {
					t.Errorf("%s called %d times, want %d to %d (all counts %v)", op, got, want[0], want[1], counts)
				}
			}
			noSecrets(t, secrets, "stderr", r.stderr)
			checkCaches(t, e, env)
			if f.check != nil {
				f.check(t, e, env)
			}
		})
	}
}

func writeToken(t *testing.T, e *testenv.Env, tok testenv.CLIToken) {
	t.Helper()
	data, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.CLITokenPath(), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkTokenReplaced asserts that the token file is a new file (renamed
// into place, not rewritten in place), private, and usable.
func checkTokenReplaced(t *testing.T, e *testenv.Env, old uint64) {
	t.Helper()
	path := e.CLITokenPath()
	if inode(t, path) == old {
		t.Error("the token file was rewritten in place, not replaced")
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, want 0600", info.Mode().Perm())
	}
	if tok := e.ReadCLIToken(t); tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Errorf("new token %+v lacks tokens", tok)
	}
}

// knownSecrets are values that must never show: the SSO hop's keys, and
// the tokens and client secret in the AWS CLI's cache.
func knownSecrets(t *testing.T, e *testenv.Env) map[string]string {
	t.Helper()
	s := map[string]string{
		"the SSO role's access key ID": e.Assumer.AccessKeyID,
		"the SSO role's secret key":    e.Assumer.SecretAccessKey,
		"HOP_FILE_PASSPHRASE":          getenv(e.Environ(), "HOP_FILE_PASSPHRASE"),
	}
	if data, err := os.ReadFile(e.CLITokenPath()); err == nil {
		var tok testenv.CLIToken
		if json.Unmarshal(data, &tok) == nil {
			s["the SSO access token"], s["the SSO refresh token"], s["the client secret"] = tok.AccessToken, tok.RefreshToken, tok.ClientSecret
		}
	}
	return s
}

// noSecrets fails if text (named where) contains any of secrets.
func noSecrets(t *testing.T, secrets map[string]string, where, text string) {
	t.Helper()
	for name, v := range secrets {
		if v != "" && strings.Contains(text, v) {
			t.Errorf("%s contains %s", where, name)
		}
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

// TestInterruptDuringSignIn: Ctrl-C ends a hop waiting for a sign-in, and
// one waiting for that hop, promptly and without a child or a token file.
func TestInterruptDuringSignIn(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.IDC.SetAutoApprove(false)
	marker := filepath.Join(t.TempDir(), "ran")
	signing := startHop(t, env, "exec", "requires3", "--", "touch", marker)
	signing.waitStderr(t, "confirm the code")
	waiting := startHop(t, env, "exec", "requires3", "--", "touch", marker)
	waiting.waitStderr(t, "waiting for another hop process")

	for _, h := range []*running{waiting, signing} {
		if err := h.cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
	}
	rw := waiting.wait(t, 10*time.Second)
	t.Logf("waiting hop: %s", rw.stderr)
	failed(t, rw, "interrupted")
	rs := signing.wait(t, 10*time.Second)
	t.Logf("signing hop: %s", rs.stderr)
	failed(t, rs, "sign-in to "+testenv.StartURL+" interrupted")
	if ran(marker) {
		t.Error("a child ran")
	}
	if _, err := os.Stat(e.CLITokenPath()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an interrupted sign-in left a token file (%v)", err)
	}
	checkCaches(t, e, env)
}

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

// roleSecrets are the target role's credentials, as a child sees them.
func roleSecrets(t *testing.T, env []string) map[string]string {
	t.Helper()
	vars := childEnv(t, hop(t, env, "exec", "requires3", "--", "env", "-0"))
	s := map[string]string{}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		if vars[k] == "" {
			t.Fatalf("the child has no %s", k)
		}
		s["the role's "+k] = vars[k]
	}
	return s
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

// TestNestedHopGetsNoOuterCredentials runs a hop inside a hop's child:
// the inner child must hold nothing of the outer session.
func TestNestedHopGetsNoOuterCredentials(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	outer := roleSecrets(t, env)
	pass := getenv(env, "HOP_FILE_PASSPHRASE")
	inner := fmt.Sprintf(`HOP_FILE_PASSPHRASE="$OUTER_PASS" exec %s exec example -- env -0`, hopBin)
	r := hop(t, append(env, "OUTER_PASS="+pass), "exec", "requires3", "--", "sh", "-c", inner)
	vars := childEnv(t, r)
	if vars["HOP_PROFILE"] != "example" {
		t.Fatalf("inner HOP_PROFILE = %q", vars["HOP_PROFILE"])
	}
	for k, v := range vars {
		for name, secret := range outer {
			if strings.Contains(v, secret) {
				t.Errorf("the inner child's %s holds the outer %s", k, name)
			}
		}
	}
	// The SSO role's keys are long-term: the inner session has no token,
	// so none may be left over from the outer one.
	if tok, ok := vars["AWS_SESSION_TOKEN"]; ok {
		t.Errorf("the inner child has AWS_SESSION_TOKEN=%.8s…", tok)
	}
}

// TestSignalsReachTheChild: hop execs the child, so a signal sent to the
// pid that was hop's is the child's to handle.
func TestSignalsReachTheChild(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("warming the cache: %s", r.stderr)
	}
	// The child records its pid, then which signal it got. A short sleep
	// in the loop lets the trap run promptly.
	const child = `for s in INT TERM HUP; do trap "echo $s > '$1'; exit 0" $s; done
echo $$ > "$2.tmp" && mv "$2.tmp" "$2"
while :; do sleep 0.05; done`
	for name, sig := range map[string]syscall.Signal{"INT": syscall.SIGINT, "TERM": syscall.SIGTERM, "HUP": syscall.SIGHUP} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			got, pidFile := filepath.Join(dir, "got"), filepath.Join(dir, "pid")
			h := startHop(t, env, "exec", "requires3", "--", "sh", "-c", child, "sh", got, pidFile)
			pid := waitFile(t, h, pidFile)
			if pid != strconv.Itoa(h.cmd.Process.Pid) {
				t.Fatalf("the child runs as pid %s, hop was %d: hop did not exec it", pid, h.cmd.Process.Pid)
			}
			if err := h.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if r := h.wait(t, time.Minute); r.code != 0 {
				t.Errorf("exit %d after the child's trap, stderr %q", r.code, r.stderr)
			}
			data, err := os.ReadFile(got)
			if err != nil || strings.TrimSpace(string(data)) != name {
				t.Errorf("the child got %q (%v), want %s", data, err, name)
			}
		})
	}
}

// waitFile waits for the child to create path, and returns its content.
func waitFile(t *testing.T, h *running, path string) string {
	t.Helper()
	limit := time.After(time.Minute)
	for {
		if data, err := os.ReadFile(path); err == nil {
			return strings.TrimSpace(string(data))
		}
		select {
		case <-h.done:
			t.Fatalf("hop exited (%v) before its child wrote %s; stderr %q", h.err, path, h.stderr.String())
		case <-limit:
			t.Fatalf("no %s within a minute; stderr %q", path, h.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// TestExitStatusAsAShellSeesIt: the status a shell reports for hop is the
// child's, including 128+n for a child killed by signal n.
func TestExitStatusAsAShellSeesIt(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("warming the cache: %s", r.stderr)
	}
	for _, tt := range []struct {
		child string
		want  string
	}{
		{"exit 0", "0"},
		{"exit 1", "1"},
		{"exit 7", "7"},
		{"exit 255", "255"},
		{"kill -HUP $$", "129"},
		{"kill -INT $$", "130"},
		{"kill -KILL $$", "137"},
		{"kill -TERM $$", "143"},
	} {
		t.Run(tt.child, func(t *testing.T) {
			script := fmt.Sprintf(`"$0" exec requires3 -- sh -c '%s'; echo "$?"`, tt.child)
			cmd := exec.Command("sh", "-c", script, hopBin)
			cmd.Env = env
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("sh: %v", err)
			}
			if got := strings.TrimSpace(string(out)); got != tt.want {
				t.Errorf("the shell saw status %s, want %s", got, tt.want)
			}
		})
	}
}

// TestChildOwnsTheTerminal: under a terminal, the child's stdin, stdout
// and stderr are that terminal, as a REPL or an editor needs; under pipes,
// they are those pipes.
func TestChildOwnsTheTerminal(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("warming the cache: %s", r.stderr)
	}

	// script(1) runs the command on a new pseudo-terminal.
	child := `[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo "all three are terminals"; tty; readlink /proc/$$/fd/0 /proc/$$/fd/1 /proc/$$/fd/2`
	cmd := exec.Command("script", "-qec", fmt.Sprintf(`%s exec requires3 -- sh -c '%s'`, hopBin, child), "/dev/null")
	cmd.Env = setenv(env, "SHELL=/bin/sh")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("script: %v\n%s", err, out)
	}
	lines := strings.Fields(strings.ReplaceAll(string(out), "\r", ""))
	if !strings.Contains(string(out), "all three are terminals") || len(lines) < 4 {
		t.Fatalf("under a terminal the child saw:\n%s", out)
	}
	tty := lines[len(lines)-4]
	if !strings.HasPrefix(tty, "/dev/pts/") {
		t.Fatalf("tty says %q", tty)
	}
	for i, fd := range lines[len(lines)-3:] {
		if fd != tty {
			t.Errorf("the child's fd %d is %s, want the terminal %s", i, fd, tty)
		}
	}

	// Pipes: input reaches the child, and its two outputs stay apart.
	pipe := exec.Command(hopBin, "exec", "requires3", "--", "sh", "-c", `read line; echo "out:$line"; echo "err:$line" >&2`)
	pipe.Env = env
	pipe.Stdin = strings.NewReader("hello\n")
	var stdout, stderr bytes.Buffer
	pipe.Stdout, pipe.Stderr = &stdout, &stderr
	if err := pipe.Run(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	if stdout.String() != "out:hello\n" || stderr.String() != "err:hello\n" {
		t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
}
