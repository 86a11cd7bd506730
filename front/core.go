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
// PREFIX/libexec/hop/hop-core beside PREFIX/bin/hop, as make install and
// the packages lay them out.
const CorePath = "../libexec/hop/hop-core"

// CoreBeside is where `go install github.com/hop-cli/hop/cmd/...` puts
// hop-core: in the same directory (GOBIN) as the front. Both places are
// found from the front's own path, never from PATH, so the front runs the
// hop-core installed with it.
const CoreBeside = "hop-core"

// core locates hop-core from the front's own path, symlinks resolved: at
// CorePath, else at CoreBeside. When neither exists it returns CorePath,
// for the error to name.
func core() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	self, err = filepath.EvalSymlinks(self)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(self)
	libexec := filepath.Join(dir, filepath.FromSlash(CorePath))
	if _, err := os.Stat(libexec); err != nil {
		if beside := filepath.Join(dir, CoreBeside); fileExists(beside) {
			return beside, nil
		}
	}
	return libexec, nil
}

func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// handOver runs hop-core with the same argv (so ps shows what the user
// ran) and environment, but for the file keyring's passphrase, which
// exec.RunCore hands it through a pipe.
func handOver(args []string) {
	path, err := core()
	if err == nil {
		err = become(exec.RunCore(&exec.Command{Path: path, Args: append([]string{os.Args[0]}, args...)}, os.Environ()))
		var cannot *exec.CannotRunError
		if !errors.As(err, &cannot) {
			fmt.Fprintf(os.Stderr, "hop: %s\n", untrusted.Text(err.Error()))
			os.Exit(1)
		}
	}
	fmt.Fprintf(os.Stderr, "hop: cannot start hop-core (%s): %s; install hop with its package, 'make install', or 'go install github.com/hop-cli/hop/cmd/...@latest', which puts hop-core beside it\n", untrusted.Text(path), untrusted.Text(err.Error()))
	os.Exit(1)
}

// become ends the front as the command it ran in its place (err is what
// running it returned): on Unix exec.Run replaced the process and returns
// only on failure; elsewhere it waited, and the front exits with the
// command's status. It returns err if the command could not be started.
func become(err error) error {
	var exit *exec.ExitError
	switch {
	case err == nil:
		os.Exit(0)
	case errors.As(err, &exit):
		os.Exit(exit.Code)
	}
	return err
}
