//go:build !windows

package fetch

import (
	"context"
	osexec "os/exec"
)

// shellCommand runs command through the system shell, as aws-vault runs
// mfa_process.
func shellCommand(ctx context.Context, command string) *osexec.Cmd {
	return osexec.CommandContext(ctx, "/bin/sh", "-c", command)
}
