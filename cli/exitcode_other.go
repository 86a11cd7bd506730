//go:build !unix

package cli

import (
	"os"
	"syscall"

	"github.com/hop-cli/hop/creds/fetch"
)

// exitBySignal exits as a shell reports a command the signal stopped.
func exitBySignal(sig syscall.Signal) { os.Exit(128 + int(sig)) }

// interruptGroup is hop's interruption by Ctrl-C, read as a key.
func interruptGroup() error { return &fetch.Interrupted{Signal: syscall.SIGINT} }
