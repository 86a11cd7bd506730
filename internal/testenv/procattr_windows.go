package testenv

import (
	"errors"
	"os"
	"syscall"
)

// motoProcAttr: Windows has no process groups to kill at once; moto_server
// is a Unix program, started here only should someone install it.
func motoProcAttr() *syscall.SysProcAttr { return nil }

// killMoto ends moto itself.
func killMoto(p *os.Process) error {
	if err := p.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}
