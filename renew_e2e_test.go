package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// TestRenewHookFileKeyring runs what a hop shell's prompt hook runs where
// the session cache is the file keyring, whose passphrase never reaches a
// hop shell: nothing on stdout to evaluate, one line saying what to run,
// no prompt and no sign-in. With the passphrase, it prints the six
// assignments.
func TestRenewHookFileKeyring(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("hop exec requires3: %s", r.stderr)
	}
	// Half a minute over 8m: minutes left are counted in whole seconds, so
	// the warning says 8m however long the runs below take.
	shell := setenv(env, "HOP_FILE_PASSPHRASE=", "HOP_EXPIRES_AT="+strconv.FormatInt(time.Now().Add(8*time.Minute+30*time.Second).Unix(), 10))
	// The cached role session lasts an hour: ask for more than that, as a
	// shell whose own copy is about to end would get, by clearing it.
	if r := hop(t, env, "clear", "requires3"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	calls := e.Calls()
	r := hop(t, shell, "renew", "--hook", "--shell", "bash", "requires3")
	if r.code == 0 || r.stdout != "" {
		t.Errorf("renew --hook without the passphrase: exit %d, stdout %q; want a failure and nothing to evaluate", r.code, r.stdout)
	}
	if strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "passphrase") || !strings.Contains(r.stderr, "expire in 8m") ||
		!strings.Contains(r.stderr, `eval "$(hop renew --shell bash requires3)"`) {
		t.Errorf("want one line naming the passphrase, the time left and the command; stderr:\n%s", r.stderr)
	}
	if e.Calls() != calls || e.IDC.Count(idc.OpStartDeviceAuthorization) != 1 {
		t.Errorf("renew --hook without the passphrase called AWS or started a sign-in")
	}

	r = hop(t, env, "renew", "--hook", "--shell", "bash", "requires3")
	if r.code != 0 || strings.Count(r.stdout, "\nexport ") != 5 || !strings.HasPrefix(r.stdout, "export AWS_ACCESS_KEY_ID='") {
		t.Errorf("renew --hook with the passphrase: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
