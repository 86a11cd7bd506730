package testenv

import "syscall"

// motoProcAttr puts moto in its own process group, so Close takes down
// whatever the pyenv shim starts, and has it killed with the test binary
// if that dies first.
func motoProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
