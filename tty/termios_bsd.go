//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package tty

import "golang.org/x/sys/unix"

const (
	getTermios = unix.TIOCGETA
	setTermios = unix.TIOCSETA
	// vdisable is the value of a control character that is switched off.
	vdisable = 0xff
)

// DiscardTypeAhead drops what was typed but not yet read.
func (t *Terminal) DiscardTypeAhead() {
	// TIOCFLUSH takes which queues to flush: FREAD, which is TCIFLUSH.
	unix.IoctlSetPointerInt(int(t.in.Fd()), unix.TIOCFLUSH, unix.TCIFLUSH)
}
