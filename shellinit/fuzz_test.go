//go:build e2e

package shellinit

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// validExpiry is what the scripts accept as HOP_EXPIRES_AT.
var validExpiry = regexp.MustCompile(`^[1-9][0-9]{0,11}$`)

// countdown is any time-left text the scripts print.
const countdown = `(?: (?:\d+s|\d+m|\d+h\d\dm|expired))`

// shown is how the scripts display text: control characters (as the C
// library counts them: C0, DEL, C1, and the line and paragraph separators)
// become "?".
func shown(text string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return '?'
		}
		return r
	}, text)
}

// FuzzSegmentIsData feeds the three shells arbitrary HOP_* values: the
// prompt must show them as text, with a countdown only for a valid expiry,
// and nothing may run. Inputs run in the working directory of a fresh
// shell, so "touch pwned" from any of them lands where the test looks.
func FuzzSegmentIsData(f *testing.F) {
	for _, c := range hostileCases("pwned") {
		f.Add(c.env["HOP_PROFILE"], c.env["HOP_ACCOUNT_ID"], c.env["HOP_EXPIRES_AT"])
	}
	f.Add("requires3", "123412341234", expiresIn(time.Hour))
	f.Add("a\u2028b\u0085c", "", "0")
	f.Add("", "123412341234", "")
	f.Fuzz(func(t *testing.T, profile, account, expires string) {
		for _, v := range []string{profile, account, expires} {
			// The environment cannot carry NUL, and the shells disagree on
			// how to show bytes that are not UTF-8.
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				t.Skip()
			}
		}
		want := `^user> $`
		if profile != "" {
			text := shown(profile)
			if account != "" {
				text += " " + shown(account)
			}
			left := ""
			if validExpiry.MatchString(expires) {
				left = countdown
			}
			want = `^\(` + regexp.QuoteMeta(text) + left + `\) user> $`
		}
		env := map[string]string{"HOP_PROFILE": profile, "HOP_ACCOUNT_ID": account, "HOP_EXPIRES_AT": expires, "NO_COLOR": "1", "HOP_RENEW": "0"}
		for _, shell := range runShells() {
			for _, setup := range []string{"", map[string]string{"bash": "shopt -u promptvars", "zsh": "setopt prompt_subst prompt_bang", "fish": ""}[shell]} {
				got, dir := renderIn(t, shell, setup, env)
				if !regexp.MustCompile(want).MatchString(got) {
					t.Errorf("%s %q: prompt %q, want it to match %q", shell, setup, got, want)
				}
				if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
					t.Fatalf("%s %q: HOP_* values ran code", shell, setup)
				}
			}
		}
	})
}
