//go:build unix

package main

import (
	"os"
	"os/signal"
	"syscall"
	"time"
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
