package exec

import (
	"errors"
	"fmt"
	"io/fs"
	osexec "os/exec"
	"syscall"
)

// ExitError carries the exit status of a child hop waited for (Supervise,
// or Run where the platform has no execve), for main to exit with.
type ExitError struct {
	Code int
	// Signal, when not 0, is the signal that killed the child: main then
	// dies of it too, so the shell that started hop sees what it would
	// have seen of the child, and a loop the user interrupts stops.
	Signal syscall.Signal
}

func (e *ExitError) Error() string { return fmt.Sprintf("the command exited with status %d", e.Code) }

// Command is a resolved child: the program's path and its argv.
type Command struct {
	Path string
	Args []string
}

// CannotRunError says that a command could not be started: not found, or
// found but not runnable (not executable, a directory, a bad format).
// main exits 127 or 126 for it, as a shell does.
type CannotRunError struct {
	Name     string
	NotFound bool
	Err      error
}

func (e *CannotRunError) Error() string {
	if e.NotFound {
		return fmt.Sprintf("command %q not found", e.Name)
	}
	return fmt.Sprintf("cannot run %s: %v", e.Name, e.Err)
}

func (e *CannotRunError) Unwrap() error { return e.Err }

// cannotRun classifies a failure to find or start name.
func cannotRun(name string, err error) *CannotRunError {
	var lookErr *osexec.Error
	if errors.As(err, &lookErr) {
		err = lookErr.Err
	}
	notFound := errors.Is(err, osexec.ErrNotFound) || errors.Is(err, fs.ErrNotExist)
	return &CannotRunError{Name: name, NotFound: notFound, Err: err}
}

// Lookup finds the program before any credentials are fetched, so a typo
// costs no login. With no arguments it picks the user's shell
// (defaultShell).
func Lookup(args []string, getenv func(string) string) (*Command, error) {
	if len(args) == 0 {
		args = []string{defaultShell(getenv)}
	}
	path, err := osexec.LookPath(args[0])
	if err != nil {
		return nil, cannotRun(args[0], err)
	}
	return &Command{Path: path, Args: args}, nil
}
