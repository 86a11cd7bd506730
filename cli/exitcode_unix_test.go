//go:build unix

package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestInterruptionReachesTheExitCode: whatever error a wait a signal ended
// returns, main exits with the signal's status.
func TestInterruptionReachesTheExitCode(t *testing.T) {
	// A command's own interruptible context: the signal must be seen on
	// hop's by the time the command's ends.
	ctx, stop := interruptible(context.Background())
	defer stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-ctx.Done()
	err := withInterruption(signalled(), fmt.Errorf("waiting for the lock: %w", context.Canceled))
	if got := exitCode(err); got != 143 {
		t.Errorf("exit code %d after SIGTERM, want 143", got)
	}
	if !strings.Contains(err.Error(), "waiting for the lock") {
		t.Errorf("the message %q lost what was interrupted", err)
	}
	if withInterruption(signalled(), nil) != nil {
		t.Error("an interruption made up an error")
	}
}
