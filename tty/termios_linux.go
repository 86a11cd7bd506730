package tty

import "golang.org/x/sys/unix"

const (
	getTermios = unix.TCGETS
	setTermios = unix.TCSETS
	// vdisable is the value of a control character that is switched off.
	vdisable = 0
)

// DiscardTypeAhead drops what was typed but not yet read.
func (t *Terminal) DiscardTypeAhead() {
	unix.IoctlSetInt(int(t.in.Fd()), unix.TCFLSH, unix.TCIFLUSH)
}
