package store

import (
	"errors"
	"fmt"
	"io/fs"
)

// Every file hop reads is bounded: a planted FIFO would block the read
// forever (while hop holds a lock), and a device or an endless file would
// grow hop without limit.
var (
	ErrNotRegularFile = errors.New("not a regular file, which is all hop reads")
	ErrFileTooLarge   = errors.New("too large for hop to read")
)

// ReadRegularFile reads the regular file at path, which may be a symbolic
// link to one, failing at once if it is anything else or holds more than
// limit bytes. Errors name the path.
func ReadRegularFile(path string, limit int64) ([]byte, error) {
	return readRegular(path, limit, 0)
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
