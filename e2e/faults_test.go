//go:build e2e && unix

package e2e

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/faultproxy"
	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// These tests run hop against the real servers while things go wrong:
// failing and unreachable endpoints, damaged caches. Each failure must end
// the same way: one clear line on stderr, a non-zero exit, no child, and
// caches left whole.

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
