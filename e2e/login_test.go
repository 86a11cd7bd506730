//go:build e2e && unix

package e2e

import (
	"errors"
	"io/fs"
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

// TestLoginWithoutArgument: one sso-session needs no name; with two,
// AWS_PROFILE decides, and otherwise (no terminal for the picker) hop
// names the choices. Each sign-in says "signed in" once.
func TestLoginWithoutArgument(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	r := hop(t, env, "login")
	if r.code != 0 || strings.Count(r.stderr, "signed in") != 1 {
		t.Fatalf("hop login: exit %d, stderr %q; want one sign-in, said once", r.code, r.stderr)
	}
	r = hop(t, env, "login", "--force")
	if r.code != 0 || strings.Count(r.stderr, "signed in") != 1 || e.IDC.Count(idc.OpStartDeviceAuthorization) != 2 {
		t.Fatalf("hop login --force: exit %d, stderr %q; want a second sign-in, said once", r.code, r.stderr)
	}

	e.AppendConfig(t, "[sso-session other]\nsso_start_url = https://other.awsapps.com/start\nsso_region = eu-west-1\n")
	r = hop(t, env, "login")
	if r.code == 0 || !strings.Contains(r.stderr, "2 sso-sessions (corp, other); name one with --sso-session") {
		t.Errorf("hop login with two sessions: exit %d, stderr %q; want the choices", r.code, r.stderr)
	}
	r = hop(t, setenv(env, "AWS_PROFILE=requires3"), "login")
	if r.code != 0 || !strings.Contains(r.stderr, "the session for "+testenv.StartURL+" is valid until") {
		t.Errorf("hop login with AWS_PROFILE: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestLoginWithDeviceCode(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	r := hop(t, env, "login", "requires3", "--use-device-code")
	if r.code != 0 {
		t.Fatalf("hop login: %s", r.stderr)
	}
	if !strings.Contains(r.stderr, "confirm the code") || e.IDC.Count(idc.OpStartDeviceAuthorization) != 1 {
		t.Errorf("no device-code sign-in: stderr %q, counts %v", r.stderr, e.IDC.Counts())
	}
	if e.Moto.Total() != 0 || e.IDC.Count(idc.OpGetRoleCredentials) != 0 {
		t.Error("login fetched role credentials; it should only sign in")
	}
	token := e.ReadCLIToken(t)
	if token.AccessToken == "" || token.RefreshToken == "" {
		t.Errorf("token cache after login: %+v", token)
	}

	// Signed in already: nothing to do.
	e.ResetCounts()
	if r := hop(t, env, "login", "--sso-session", testenv.SSOSession); r.code != 0 || e.Calls() != 0 {
		t.Errorf("second login: exit %d, %d calls, stderr %q", r.code, e.Calls(), r.stderr)
	}
	// --force signs in again.
	if r := hop(t, env, "login", "example", "--force"); r.code != 0 || e.IDC.Count(idc.OpStartDeviceAuthorization) != 1 {
		t.Errorf("forced login: exit %d, counts %v", r.code, e.IDC.Counts())
	}
	if r := hop(t, env, "login", "nosuch"); r.code == 0 || !strings.Contains(r.stderr, `profile "nosuch" not found`) {
		t.Errorf("login to a missing profile: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestLoginWithPKCE plays the browser: it follows the authorize URL to the
// emulator, which redirects to hop's loopback listener with the code.
func TestLoginWithPKCE(t *testing.T) {
	e := testenv.Start(t)
	env := withBrowser(t, e.Environ())
	r := hop(t, env, "login", "example")
	if r.code != 0 {
		t.Fatalf("hop login: %s", r.stderr)
	}
	if e.IDC.Count(idc.OpAuthorize) != 1 || e.IDC.Count(idc.OpStartDeviceAuthorization) != 0 {
		t.Errorf("want the authorization-code flow, counts %v", e.IDC.Counts())
	}
	if strings.Contains(r.stderr, "confirm the code") {
		t.Errorf("a device code was shown in the PKCE flow: %q", r.stderr)
	}

	// botocore takes hop's token: the AWS CLI runs without a login.
	e.ResetCounts()
	cli := exec.Command("aws", "s3api", "list-buckets", "--profile", "requires3", "--query", "Buckets[].Name", "--output", "text")
	cli.Env = append(e.Environ(), "AWS_DEFAULT_REGION="+testenv.Region)
	out, err := cli.CombinedOutput()
	if err != nil || !strings.Contains(string(out), testenv.Bucket) {
		t.Fatalf("aws --profile requires3 after hop login: %v\n%s", err, out)
	}
	if n := e.IDC.Count(idc.OpStartDeviceAuthorization) + e.IDC.Count(idc.OpAuthorize); n != 0 {
		t.Errorf("the AWS CLI signed in again")
	}
}

// TestLoginSaysWhen: login's "valid until" is local time with its zone,
// with "tomorrow" or the date when the token outlives the day, and agrees
// with the time left it gives.
func TestLoginSaysWhen(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skipf("no zone database: %v", err)
	}
	e := testenv.Start(t)
	env := setenv(e.Environ(), "TZ=Asia/Tokyo")
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	for _, ttl := range []time.Duration{8 * time.Hour, 50 * time.Hour} {
		e.IDC.SetAccessTokenTTL(ttl)
		before := time.Now().In(tokyo)
		r := hop(t, env, "login", "--force")
		after := time.Now().In(tokyo)
		if r.code != 0 {
			t.Fatalf("hop login: exit %d, %s", r.code, r.stderr)
		}
		expires, err := time.Parse("2006-01-02T15:04:05Z", e.ReadCLIToken(t).ExpiresAt)
		if err != nil {
			t.Fatal(err)
		}
		expires = expires.In(tokyo)
		// The day may turn during the run: either reading is right.
		var wants []string
		for _, now := range []time.Time{before, after} {
			want := expires.Format("2006-01-02 15:04 JST")
			switch day(expires) {
			case day(now):
				want = expires.Format("15:04 JST")
			case day(now.AddDate(0, 0, 1)):
				want = expires.Format("15:04 JST") + " tomorrow"
			}
			wants = append(wants, "is valid until "+want+" (")
		}
		if !strings.Contains(r.stderr, wants[0]) && !strings.Contains(r.stderr, wants[1]) {
			t.Errorf("token for %s: hop login says %q; want %q", ttl, r.stderr, wants[0])
		}
		if ttl == 50*time.Hour && !strings.Contains(r.stderr, "until "+day(expires)+" ") {
			t.Errorf("a token two days long: hop login says %q; want its date", r.stderr)
		}
	}
}
