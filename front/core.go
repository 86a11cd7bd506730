package front

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hop-cli/hop/exec"
	"github.com/hop-cli/hop/untrusted"
)

// CorePath is where hop-core is installed relative to the front:
// PREFIX/libexec/hop/hop-core beside PREFIX/bin/hop.
const CorePath = "../libexec/hop/hop-core"

// core locates hop-core from the front's own path, symlinks resolved.
func core() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	self, err = filepath.EvalSymlinks(self)
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(self), filepath.FromSlash(CorePath)), nil
}

// handOver runs hop-core with the same argv (so ps shows what the user
// ran) and environment.
func handOver(args []string) {
	path, err := core()
	if err == nil {
		err = become(&exec.Command{Path: path, Args: append([]string{os.Args[0]}, args...)}, os.Environ())
	}
	fmt.Fprintf(os.Stderr, "hop: cannot start hop-core (%s): %s; install hop with 'make install', which puts it there\n", untrusted.Text(path), untrusted.Text(err.Error()))
	os.Exit(1)
}

// become runs cmd in the front's place: on Unix exec.Run replaces the
// process; elsewhere it waits, and the front exits with the command's
// status. It returns only if cmd could not be started.
func become(cmd *exec.Command, env []string) error {
	err := exec.Run(cmd, env)
	var exit *exec.ExitError
	switch {
	case err == nil:
		os.Exit(0)
	case errors.As(err, &exit):
		os.Exit(exit.Code)
	}
	return err
}
