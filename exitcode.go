package main

import (
	"errors"

	"github.com/hop-cli/hop/exec"
)

// errAlreadyReported is returned by a command that has printed its own
// account of the failure: main exits non-zero without repeating it.
var errAlreadyReported = errors.New("already reported")

// exitCode maps an error to hop's exit status. Only main decides exit
// codes: a child's own status where hop waited for it, else 1.
func exitCode(err error) int {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.Code
	}
	return 1
}
