package fetch

import (
	"context"
	"os"
	osexec "os/exec"
	"syscall"
)

// shellCommand runs command through cmd.exe (COMSPEC), as aws-vault runs
// mfa_process. The line is handed to cmd as written: Go's quoting of
// arguments is for programs that parse them as the C runtime does, which
// cmd /C does not.
func shellCommand(ctx context.Context, command string) *osexec.Cmd {
	shell := os.Getenv("COMSPEC")
	if shell == "" {
		shell = "cmd.exe"
	}
	cmd := osexec.CommandContext(ctx, shell)
	cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: `"` + shell + `" /D /S /C "` + command + `"`}
	return cmd
}
