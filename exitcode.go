package main

import "errors"

// errAlreadyReported is returned by a command that has printed its own
// account of the failure: main exits non-zero without repeating it.
var errAlreadyReported = errors.New("already reported")

// exitCode maps an error to hop's exit status. Only main decides exit codes.
func exitCode(err error) int {
	return 1
}
