//go:build unix

package store

import (
	"fmt"
	"io/fs"
	"slices"
	"syscall"
)

// readRegular opens without blocking, so a FIFO is refused rather than
// waited on, and checks the open file itself, so nothing can be swapped in
// between the check and the read. It makes the system calls itself: the
// first os.File a process opens sets up the runtime's poller (an epoll
// instance and an eventfd, registered), which the warm exec, reading a
// config and a cached item, would pay for and never use.
func readRegular(path string, limit int64, flags int) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC|flags, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if mode := uint32(st.Mode) & syscall.S_IFMT; mode != syscall.S_IFREG {
		return nil, fmt.Errorf("%s is %s: %w", path, fileKind(typeOf(mode)), ErrNotRegularFile)
	}
	if st.Size > limit {
		return nil, fmt.Errorf("%s holds more than %s: %w", path, byteSize(limit), ErrFileTooLarge)
	}
	// The size may change while hop reads: room for the size fstat gave
	// and a little more, so the end is seen without growing.
	buf := make([]byte, 0, st.Size+512)
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, len(buf))
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, &fs.PathError{Op: "read", Path: path, Err: err})
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, fmt.Errorf("%s holds more than %s: %w", path, byteSize(limit), ErrFileTooLarge)
		}
	}
}

// typeOf is the fs.FileMode type bits of a stat mode's type.
func typeOf(mode uint32) fs.FileMode {
	switch mode {
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	case syscall.S_IFLNK:
		return fs.ModeSymlink
	}
	return fs.ModeIrregular
}
