package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
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

// readRegular opens without blocking, so a FIFO is refused rather than
// waited on, and checks the open file itself, so nothing can be swapped in
// between the check and the read.
func readRegular(path string, limit int64, flags int) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|OpenNonBlock|flags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %s: %w", path, fileKind(info.Mode()), ErrNotRegularFile)
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%s holds more than %s: %w", path, byteSize(limit), ErrFileTooLarge)
	}
	// The size may change while hop reads. Room for the size Stat gave
	// and a little more spares the copies io.ReadAll makes as it grows,
	// which are fresh pages at each doubling.
	buf := bytes.NewBuffer(make([]byte, 0, info.Size()+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	data := buf.Bytes()
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s holds more than %s: %w", path, byteSize(limit), ErrFileTooLarge)
	}
	return data, nil
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
