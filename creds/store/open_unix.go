//go:build unix

package store

import (
	"io/fs"
	"syscall"
)

const (
	OpenNonBlock = syscall.O_NONBLOCK
	// openNoFollow refuses a symbolic link planted where hop keeps a
	// secret or a lock.
	openNoFollow = syscall.O_NOFOLLOW
)

// fileOwner is the user id that owns a file.
func fileOwner(info fs.FileInfo) (int, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}
