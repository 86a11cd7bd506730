//go:build unix

package testenv

import (
	"errors"
	"os"
	"syscall"
)

// killMoto ends moto's process group. SIGKILL: moto keeps nothing worth
// flushing, and the test must not hang on a server that ignores SIGTERM.
func killMoto(p *os.Process) error {
	err := syscall.Kill(-p.Pid, syscall.SIGKILL)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}
