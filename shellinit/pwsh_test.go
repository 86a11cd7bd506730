package shellinit

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/exec"
	"github.com/hop-cli/hop/export"
)

// renewalLine is the pattern init.ps1 holds each line of hop renew's output
// to before it runs any. PowerShell cannot run here: .NET's regex reads it as
// Go's does, as it uses only classes, groups, alternation and anchors.
func renewalLine(t *testing.T) *regexp.Regexp {
	t.Helper()
	script, err := Script("pwsh")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(script, "$global:__hop_renewal_line = @'\n")
	pattern, _, ok2 := strings.Cut(after, "\n'@")
	if !ok || !ok2 {
		t.Fatal("init.ps1 has no __hop_renewal_line here-string")
	}
	return regexp.MustCompile(pattern)
}

// TestPwshHookRunsOnlyRenewals: every line hop renew --shell pwsh prints,
// whatever the values, passes the hook's check, and lines that would run
// anything else do not.
func TestPwshHookRunsOnlyRenewals(t *testing.T) {
	re := renewalLine(t)
	for _, v := range []string{"S", "it's", "‘’", "$(calc)", "a\nb", "😀", "`;"} {
		for _, token := range []string{v, ""} {
			var b bytes.Buffer
			err := export.WriteRenewal(&b, "pwsh", exec.Session{AccessKeyID: "AKID", SecretAccessKey: v, SessionToken: token,
				Expires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
				if !re.MatchString(line) {
					t.Errorf("the hook refuses hop's own line %q", line)
				}
			}
		}
	}
	for _, line := range []string{
		"$Env:AWS_ACCESS_KEY_ID = 'x'; calc",
		"$Env:AWS_ACCESS_KEY_ID = 'x’; calc; '",
		"$Env:PATH = 'C:\\evil'",
		"$Env:AWS_ACCESS_KEY_ID = $(calc)",
		"$Env:AWS_ACCESS_KEY_ID = [char]0x0041 + [char]0x0042",
		"$Env:AWS_ACCESS_KEY_ID = 'x' + (calc)",
		"Remove-Item -LiteralPath Env:PATH -ErrorAction Ignore",
		"Remove-Item -Recurse ~",
		"",
	} {
		if re.MatchString(line) {
			t.Errorf("the hook would run %q", line)
		}
	}
}
