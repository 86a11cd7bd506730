//go:build unix

package cli

import (
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hop-cli/hop/creds/fetch"
)

// exitBySignal ends hop the way the signal would have, once hop has
// cleaned up: a shell running hop in a script or a loop then stops as it
// does for any interrupted command, where a plain exit(130) would let it
// carry on. It exits 128 plus the signal's number should the signal not
// land.
func exitBySignal(sig syscall.Signal) {
	signal.Reset(sig)
	if sig == syscall.SIGKILL || defaultAction(sig) {
		syscall.Kill(syscall.Getpid(), sig)
		time.Sleep(time.Second)
	}
	os.Exit(128 + int(sig))
}

// interruptGroup does what the terminal does on Ctrl-C, for a Ctrl-C read
// as a key (the picker holds the terminal raw): SIGINT to hop's process
// group, the rest of a pipeline or a script included. hop's own arrives
// on its signal watch; the error is hop's interruption either way, so
// main ends hop by SIGINT and a shell loop running it stops.
func interruptGroup() error {
	syscall.Kill(0, syscall.SIGINT)
	return &fetch.Interrupted{Signal: syscall.SIGINT}
}
