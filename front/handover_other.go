//go:build !unix

package front

import (
	"errors"
	"os"
	osexec "os/exec"
	"os/signal"
)

// handOver runs hop-core with the same arguments and environment, where
// the platform has no execve, and exits with its status.
func handOver(args []string) {
	path, err := core()
	if err == nil {
		cmd := osexec.Command(path, args...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		signal.Ignore(os.Interrupt)
		err = cmd.Run()
		var exit *osexec.ExitError
		if errors.As(err, &exit) {
			os.Exit(exit.ExitCode())
		}
		if err == nil {
			os.Exit(0)
		}
	}
	coreMissing(path, err)
}
