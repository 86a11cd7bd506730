//go:build unix

package front

import (
	"os"
	"syscall"
)

// handOver replaces the front with hop-core, given the same argv (so ps
// shows what the user ran) and environment.
func handOver(args []string) {
	path, err := core()
	if err == nil {
		err = syscall.Exec(path, append([]string{os.Args[0]}, args...), os.Environ())
	}
	coreMissing(path, err)
}
