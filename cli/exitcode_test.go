package cli

import (
	"errors"
	"fmt"
	"syscall"
	"testing"

	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/exec"
)

// TestExitCode: a child's status comes through where hop waited for it
// (platforms without execve); a command that cannot run is 127 or 126 and
// a signal 128 plus its number, as in a shell; any other failure is 1.
func TestExitCode(t *testing.T) {
	for _, c := range []struct {
		err  error
		want int
	}{
		{&exec.ExitError{Code: 3}, 3},
		{fmt.Errorf("running: %w", &exec.ExitError{Code: 130}), 130},
		{errors.New("profile not found"), 1},
		{errAlreadyReported, 1},
		{fmt.Errorf("x: %w", &exec.CannotRunError{Name: "nosuch", NotFound: true}), 127},
		{&exec.CannotRunError{Name: "./script", Err: syscall.EACCES}, 126},
		{&fetch.Interrupted{Signal: syscall.SIGINT}, 130},
		{fmt.Errorf("waiting: %w", &fetch.Interrupted{Signal: syscall.SIGTERM}), 143},
		{&fetch.Interrupted{Signal: syscall.SIGHUP, Err: &exec.CannotRunError{NotFound: true}}, 129},
	} {
		if got := exitCode(c.err); got != c.want {
			t.Errorf("exitCode(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}

// TestWithoutQueries: no URL's query reaches an error hop prints.
func TestWithoutQueries(t *testing.T) {
	for in, want := range map[string]string{
		`parse "http://bad host/federation?Action=getSigninToken&Session=%7B%22sessionKey%22%3A%22SECRET%22%7D": invalid character " " in host name`: `parse "http://bad host/federation?…": invalid character " " in host name`,
		`Get "https://signin.aws.amazon.com/federation?Session=SECRET#frag": EOF`:                                                                    `Get "https://signin.aws.amazon.com/federation?…": EOF`,
		`cannot reach http://127.0.0.1:9 (connection refused)`:                                                                                       `cannot reach http://127.0.0.1:9 (connection refused)`,
		`profile dev: no ? here`: `profile dev: no ? here`,
	} {
		if got := withoutQueries(in); got != want {
			t.Errorf("withoutQueries(%q) = %q, want %q", in, got, want)
		}
	}
}
