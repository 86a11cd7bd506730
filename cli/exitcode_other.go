//go:build !unix

package cli

import (
	"os"
	"syscall"
)

// exitBySignal exits as a shell reports a command the signal stopped.
func exitBySignal(sig syscall.Signal) { os.Exit(128 + int(sig)) }
