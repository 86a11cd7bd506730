//go:build e2e && unix

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/99designs/keyring"

	"github.com/hop-cli/hop/internal/testenv"
)

// hopBin is the hop binary built once for the end-to-end tests.
var hopBin string

func TestMain(m *testing.M) {
	var err error
	if hopBin, err = testenv.BuiltHop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testenv.Main(m)
}

// hopRunLimit bounds one hop run in the tests.
const hopRunLimit = 2 * time.Minute

// result is one hop run.
type result struct {
	stdout, stderr string
	code           int
}

// hop runs hop, as installed, in env.
func hop(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return runBin(t, hopBin, env, args...)
}

// runBin runs bin (hop, or a part of it) in env.
func runBin(t *testing.T, bin string, env []string, args ...string) result {
	t.Helper()
	// A hop stuck in a sign-in would otherwise wait for minutes: fail the
	// test instead of hanging the suite.
	ctx, cancel := context.WithTimeout(t.Context(), hopRunLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	// A grandchild (a browser script) holding the output pipes must not
	// keep Run from returning.
	cmd.WaitDelay = 5 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("hop %v still running after %s; stderr so far: %s", args, hopRunLimit, r.stderr)
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running hop %v: %v", args, err)
	}
	return r
}

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

func inode(t *testing.T, path string) uint64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Sys().(*syscall.Stat_t).Ino
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

// withBrowser replaces HOP_NO_BROWSER with a BROWSER that follows the URL
// with curl, as a signed-in user's browser would.
func withBrowser(t *testing.T, env []string) []string {
	t.Helper()
	browser := filepath.Join(t.TempDir(), "browser")
	if err := os.WriteFile(browser, []byte("#!/bin/sh\nexec curl -fsSL \"$1\" >/dev/null\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "HOP_NO_BROWSER=") {
			out = append(out, kv)
		}
	}
	return append(out, "BROWSER="+browser)
}

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
