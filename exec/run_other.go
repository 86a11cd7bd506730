//go:build !unix

package exec

import (
	"errors"
	"os"
	osexec "os/exec"
	"os/signal"
)

// Run starts the child and waits, where the platform has no execve, and
// returns its exit status as an *ExitError.
//
// The child shares hop's console, so Ctrl-C reaches it as it reaches hop:
// the child decides what it means, and hop waits for it and passes on its
// status. Go ends a Windows program at Ctrl-C unless a channel is notified
// of it (signal.Ignore is not enough: hop would exit 2 and leave the child
// running), so the interrupts go to a channel no one reads.
func Run(c *Command, env []string) error {
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	defer signal.Stop(interrupts)
	cmd := osexec.Command(c.Path, c.Args[1:]...)
	cmd.Env, cmd.Stdin, cmd.Stdout, cmd.Stderr = env, os.Stdin, os.Stdout, os.Stderr
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
