//go:build !unix

package exec

import (
	"errors"
	"os"
	osexec "os/exec"
	"os/signal"
)

// Run starts the child and waits, forwarding interrupts, where the platform
// has no execve.
func Run(c *Command, env []string) error {
	cmd := osexec.Command(c.Path, c.Args[1:]...)
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = env, os.Stdin, os.Stdout, os.Stderr
	signal.Ignore(os.Interrupt)
	err := cmd.Run()
	var exit *osexec.ExitError
	switch {
	case errors.As(err, &exit):
		return &ExitError{Code: exit.ExitCode()}
	case err != nil:
		return cannotRun(c.Path, err)
	}
	return nil
}
