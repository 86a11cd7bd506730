package main

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/faultproxy"
	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// TestDidYouMean: a mistyped profile gets the nearest name in every
// command that takes one, before anything is fetched.
func TestDidYouMean(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	for _, args := range [][]string{
		{"exec", "requres3", "--", "true"},
		{"export", "requres3"},
		{"console", "--print", "requres3"},
		{"explain", "requres3"},
	} {
		r := hop(t, env, args...)
		if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "did you mean requires3?") {
			t.Errorf("hop %v: exit %d, stdout %q, stderr %q; want a suggestion", args, r.code, r.stdout, r.stderr)
		}
	}
	if n := e.Calls(); n != 0 {
		t.Errorf("%d network calls, want 0", n)
	}
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

// TestInterruptedSignInSaysSo: Ctrl-C while a sign-in request is on the
// wire reads "interrupted", not the SDK's account of a canceled request.
func TestInterruptedSignInSaysSo(t *testing.T) {
	e := testenv.Start(t)
	e.IDC.Inject(idc.OpRegisterClient, 1, faultproxy.Fault{Delay: time.Minute})
	h := startHop(t, e.Environ(), "login")
	for deadline := time.Now().Add(30 * time.Second); e.IDC.Count(idc.OpRegisterClient) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("hop never asked to register")
		}
	}
	if err := h.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	r := h.wait(t, 10*time.Second)
	last := failed(t, r, "sign-in to "+testenv.StartURL+" interrupted")
	if strings.Contains(r.stderr, "StatusCode") || strings.Contains(r.stderr, "RequestID") {
		t.Errorf("the SDK's words reached the user: %q", last)
	}
}

// TestListJSONAndLongErrors: --json gives the chain as an array and times
// in RFC 3339 UTC; a long error does not widen the table.
func TestListJSONAndLongErrors(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	long := strings.Repeat("very-long-name-", 12)
	e.AppendConfig(t, "[profile broken]\nrole_arn = arn:aws:iam::123412341234:role/X\nsource_profile = "+long+"\n")
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("hop exec: %s", r.stderr)
	}
	r := hop(t, env, "list", "--json")
	if r.code != 0 {
		t.Fatalf("hop list --json: %s", r.stderr)
	}
	var rows []struct {
		Profile   string   `json:"profile"`
		Chain     []string `json:"chain"`
		AccountID string   `json:"account_id"`
		Role      string   `json:"role"`
		Expires   string   `json:"expires"`
		Error     string   `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	utc := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
	seen := 0
	for _, row := range rows {
		switch row.Profile {
		case "requires3":
			seen++
			if strings.Join(row.Chain, ",") != "requires3,example,sso:corp" || row.AccountID != testenv.AccountID || row.Role != testenv.RoleName {
				t.Errorf("requires3: %+v", row)
			}
			if !utc.MatchString(row.Expires) {
				t.Errorf("expires %q is not RFC 3339 in UTC", row.Expires)
			}
		case "broken":
			seen++
			if !strings.Contains(row.Error, long) || row.Chain == nil {
				t.Errorf("broken: %+v; want the whole error and an empty chain", row)
			}
		}
	}
	if seen != 2 {
		t.Fatalf("rows %+v", rows)
	}

	r = hop(t, env, "list")
	for _, line := range strings.Split(strings.TrimRight(r.stdout, "\n"), "\n") {
		if len([]rune(line)) > 130 {
			t.Errorf("a %d-column line in the table: %q", len([]rune(line)), line)
		}
	}
	if !strings.Contains(r.stdout, "(hop explain broken)") {
		t.Errorf("the table does not say where the whole error is:\n%s", r.stdout)
	}
}

// TestHelpAndVersion: the commands new users try first.
func TestHelpAndVersion(t *testing.T) {
	env := testenv.Start(t).Environ()
	r := hop(t, env, "help", "sso", "sync")
	if r.code != 0 || !strings.Contains(r.stdout, "Usage: hop sso sync") {
		t.Errorf("hop help sso sync: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = hop(t, env, "help")
	if r.code != 0 || !strings.Contains(r.stdout, "Usage: hop <command>") {
		t.Errorf("hop help: exit %d, stdout %q", r.code, r.stdout)
	}
	if r = hop(t, env, "help", "nope"); r.code == 0 {
		t.Errorf("hop help nope: exit 0")
	}
	v := hop(t, env, "version")
	flag := hop(t, env, "--version")
	if v.code != 0 || !strings.HasPrefix(v.stdout, "hop ") || v.stdout != flag.stdout {
		t.Errorf("hop version %q and --version %q differ or are wrong", v.stdout, flag.stdout)
	}
}
