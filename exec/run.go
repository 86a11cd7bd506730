package exec

import (
	"fmt"
	osexec "os/exec"
)

// ExitError carries the exit status of a child that Run waited for, where
// the platform has no execve, for main to exit with.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("the command exited with status %d", e.Code) }

// Command is a resolved child: the program's path and its argv.
type Command struct {
	Path string
	Args []string
}

// Lookup finds the program before any credentials are fetched, so a typo
// costs no login. With no arguments it picks the user's shell.
func Lookup(args []string, getenv func(string) string) (*Command, error) {
	if len(args) == 0 {
		shell := getenv("SHELL")
		if shell == "" {
			shell = "/bin/sh"
		}
		args = []string{shell}
	}
	path, err := osexec.LookPath(args[0])
	if err != nil {
		return nil, fmt.Errorf("command %q not found: %w", args[0], err)
	}
	return &Command{Path: path, Args: args}, nil
}
