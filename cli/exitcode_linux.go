package cli

import (
	"syscall"
	"unsafe"
)

// defaultAction gives sig its default action back. Go's runtime keeps a
// handler of its own for every signal, and once nobody is notified it
// ends the process by SIGINT, SIGTERM or SIGHUP but answers SIGQUIT or
// SIGABRT with a goroutine dump and exit 2, and ignores the rest. All
// zeros is SIG_DFL with no flags and an empty mask, whatever the
// architecture's layout of struct sigaction; the buffer is larger than
// any of them.
func defaultAction(sig syscall.Signal) bool {
	var dfl [8]uint64
	const sigsetSize = 8 // the kernel's sigset_t, 64 signals
	_, _, errno := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&dfl)), 0, sigsetSize, 0, 0)
	return errno == 0
}
