package cli

import (
	"errors"
	"strings"
	"testing"
)

// TestRenewalNoticeSaysWhatEachShellRuns: the line a failed renewal prints
// names the command in the shell's own syntax.
func TestRenewalNoticeSaysWhatEachShellRuns(t *testing.T) {
	t.Setenv("HOP_EXPIRES_AT", "")
	t.Setenv("NO_COLOR", "1")
	for shell, want := range map[string]string{
		"bash": `eval "$(hop renew --shell bash 'it'\''s')"`,
		"fish": `hop renew --shell fish 'it\'s' | source`,
		"pwsh": `hop renew --shell pwsh 'it''s' | Invoke-Expression`,
	} {
		if got := renewalNotice("it's", shell, errors.New("no network")); !strings.HasSuffix(got, "run: "+want) {
			t.Errorf("%s: %q, want it to end with %q", shell, got, want)
		}
	}
}
