//go:build unix

package tmux

import "syscall"

func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }

func kill(pid int) { syscall.Kill(pid, syscall.SIGKILL) }
