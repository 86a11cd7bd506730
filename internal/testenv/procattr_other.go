//go:build unix && !linux

package testenv

import "syscall"

// motoProcAttr puts moto in its own process group, so Close takes down
// whatever the pyenv shim starts. Only Linux can have it killed with the
// test binary.
func motoProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
