package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hop-cli/hop/exec"
)

// TestExitCode: a child's status comes through where hop waited for it
// (platforms without execve); any other failure is 1.
func TestExitCode(t *testing.T) {
	for _, c := range []struct {
		err  error
		want int
	}{
		{&exec.ExitError{Code: 3}, 3},
		{fmt.Errorf("running: %w", &exec.ExitError{Code: 130}), 130},
		{errors.New("profile not found"), 1},
		{errAlreadyReported, 1},
	} {
		if got := exitCode(c.err); got != c.want {
			t.Errorf("exitCode(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}
