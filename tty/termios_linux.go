package cli

import "golang.org/x/sys/unix"

const (
	getTermios = unix.TCGETS
	setTermios = unix.TCSETS
	// vdisable is the value of a control character that is switched off.
	vdisable = 0
)

// discardTypeAhead drops what was typed but not yet read.
func (t *terminal) discardTypeAhead() {
	unix.IoctlSetInt(int(t.f.Fd()), unix.TCFLSH, unix.TCIFLUSH)
}
