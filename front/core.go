package front

import (
	"fmt"
	"os"
	"path/filepath"
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

func coreMissing(path string, err error) {
	fmt.Fprintf(os.Stderr, "hop: cannot start hop-core (%s): %v; install hop with 'make install', which puts it there\n", path, err)
	os.Exit(1)
}
