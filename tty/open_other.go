//go:build !windows

package tty

import "os"

// open opens /dev/tty, the controlling terminal, for reading and writing.
func open() (in, out *os.File, err error) {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	return f, f, err
}
