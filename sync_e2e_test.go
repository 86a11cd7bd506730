package main

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/internal/testenv"
)

// getenvOf looks a variable up in env, as hop run in env would.
func getenvOf(env []string) func(string) string {
	return func(key string) string {
		for _, kv := range slices.Backward(env) {
			if k, v, ok := strings.Cut(kv, "="); ok && k == key {
				return v
			}
		}
		return ""
	}
}

// writeConfigIndex runs hop explain until it has indexed the config: the
// index skips a file changed in the last two seconds, which may still
// change unseen within a clock tick.
func writeConfigIndex(t *testing.T, env []string) {
	t.Helper()
	dir := creds.ConfigIndexDir(getenvOf(env))
	deadline := time.Now().Add(time.Minute)
	for {
		if r := hop(t, env, "explain", "example"); r.code != 0 {
			t.Fatalf("hop explain example: exit %d: %s", r.code, r.stderr)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("hop explain never indexed the config in %s", dir)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestSSOSessionsThroughTheIndex: once a command has indexed the config,
// the commands that look for its only [sso-session] still find it.
func TestSSOSessionsThroughTheIndex(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	writeConfigIndex(t, env)

	if r := hop(t, env, "login"); r.code != 0 {
		t.Errorf("hop login with the config indexed: exit %d: %s", r.code, r.stderr)
	}
	if r := hop(t, env, "sso", "sync"); r.code != 0 || !strings.Contains(readFile(t, e.ConfigFile), "[profile account-123412341234.assumerolepolicy]") {
		t.Errorf("hop sso sync with the config indexed: exit %d: %s", r.code, r.stderr)
	}
	writeConfigIndex(t, env)
	for _, line := range []string{"hop sso sync --sso-session ", "hop login --sso-session "} {
		r := hop(t, append(env, "COMP_LINE="+line))
		if r.code != 0 || !slices.Equal(strings.Fields(r.stdout), []string{testenv.SSOSession}) {
			t.Errorf("%q<TAB> with the config indexed: exit %d, %q, %q", line, r.code, r.stdout, r.stderr)
		}
	}
}
