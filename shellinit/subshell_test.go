//go:build e2e

package shellinit

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hop-cli/hop/internal/testenv"
)

// TestTmuxHopExecSubshell is the README's scenario, in each shell: hop exec
// requires3 signs in through the Identity Center emulator, assumes the role
// in moto, and opens the user's shell, whose prompt shows the segment and
// whose aws CLI runs as the role; exit leaves all of it behind.
func TestTmuxHopExecSubshell(t *testing.T) {
	e := testenv.Start(t)
	env := map[string]string{}
	for _, kv := range e.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	// The rc files go in the scenario's HOME, beside its ~/.aws/config.
	files := map[string]string{}
	for _, shell := range runShells() {
		for name, content := range rc(shell) {
			files[name] = content
		}
	}
	keys := map[string]string{
		"bash": `echo "key=[${AWS_ACCESS_KEY_ID:+set}]"`,
		"zsh":  `echo "key=[${AWS_ACCESS_KEY_ID:+set}]"`,
		// An empty command substitution would make fish print nothing at all.
		"fish": `echo "key=["(set -q AWS_ACCESS_KEY_ID; and echo set; or echo)"]"`,
	}
	arn := map[string]string{
		"bash": `echo "arn=[$(aws sts get-caller-identity --query Arn --output text)]"`,
		"zsh":  `echo "arn=[$(aws sts get-caller-identity --query Arn --output text)]"`,
		"fish": `echo "arn=["(aws sts get-caller-identity --query Arn --output text)"]"`,
	}
	segment := regexp.MustCompile(`^\(requires3 ` + testenv.AccountID + ` (?:\d+m|\d+h\d\dm)\) user\[0\] ` + promptMark + `$`)
	// One moto and one sign-in serve the three shells in turn: the first hop
	// exec signs in, the others find the session in hop's cache.
	for _, shell := range runShells() {
		t.Run(shell, func(t *testing.T) {
			env["SHELL"] = shellPath(t, shell)
			s := startSession(t, shell, files, env)
			wantPrompt(t, shell, "before hop exec", s.prompt("", false), "user[0] "+promptMark)

			s.send("hop exec requires3")
			if got := s.prompt("", false); !segment.MatchString(got) {
				t.Fatalf("%s: prompt in hop exec's subshell is %q, want it to match %s", shell, got, segment)
			}
			if got := s.output(keys[shell], "key"); got != "set" {
				t.Errorf("%s: AWS_ACCESS_KEY_ID in the subshell: %q, want it set", shell, got)
			}
			wantARN := "arn:aws:sts::" + testenv.AccountID + ":assumed-role/" + testenv.RoleName + "/"
			if got := s.output(arn[shell], "arn"); !strings.HasPrefix(got, wantARN) {
				t.Errorf("%s: aws sts get-caller-identity in the subshell: %q, want %s...", shell, got, wantARN)
			}

			s.send("exit")
			wantPrompt(t, shell, "after exit", s.prompt("", false), "user[0] "+promptMark)
			if got := s.output(keys[shell], "key"); got != "" {
				t.Errorf("%s: AWS_ACCESS_KEY_ID after exit: %q, want it gone", shell, got)
			}
		})
	}
}
