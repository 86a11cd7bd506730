package cli

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/exec"
)

// errAlreadyReported is returned by a command that has printed its own
// account of the failure: main exits non-zero without repeating it.
var errAlreadyReported = errors.New("already reported")

// exitCode maps an error to hop's exit status. Only main decides exit
// codes, and it follows the shell's conventions: a child's own status
// where hop waited for it; 127 for a command not found and 126 for one
// that cannot run; 128 plus the signal's number for a hop a signal
// stopped; else 1.
func exitCode(err error) int {
	var (
		exit   *exec.ExitError
		cannot *exec.CannotRunError
		intr   *fetch.Interrupted
	)
	switch {
	case errors.As(err, &intr):
		return 128 + int(intr.Signal)
	case errors.As(err, &exit):
		return exit.Code
	case errors.As(err, &cannot) && cannot.NotFound:
		return 127
	case errors.As(err, &cannot):
		return 126
	}
	return 1
}

// signalled is hop's one watch on Ctrl-C, SIGTERM and SIGHUP: a context
// cancelled by the first of them, with the signal as its cause, so every
// wait ends promptly, nothing is left half-written, and main exits as a
// shell expects of an interrupted command. A second signal ends hop at
// once, the default way.
var signalled = sync.OnceValue(func() context.Context {
	ctx, cancel := context.WithCancelCause(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		sig := <-signals
		signal.Stop(signals)
		s, _ := sig.(syscall.Signal)
		cancel(&fetch.Interrupted{Signal: s})
	}()
	return ctx
})

// interruptible is parent, also cancelled when a signal arrives, after
// signalled is: whatever a command waits on, main sees the signal.
func interruptible(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	stop := context.AfterFunc(signalled(), func() { cancel(context.Cause(signalled())) })
	return ctx, func() {
		stop()
		cancel(context.Canceled)
	}
}

// withInterruption marks err as the outcome of the signal that cancelled
// ctx, if one did, so that main exits with that signal's status whatever
// the wait that ended reported.
//
// A child's own status is never replaced: a child hop supervises (exec
// --server) gets the signal forwarded and decides for itself.
func withInterruption(ctx context.Context, err error) error {
	var (
		intr  *fetch.Interrupted
		child *exec.ExitError
	)
	if err == nil || errors.As(err, &intr) || errors.As(err, &child) || !errors.As(context.Cause(ctx), &intr) {
		return err
	}
	return &fetch.Interrupted{Signal: intr.Signal, Err: err}
}
