//go:build !unix

package store

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

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
