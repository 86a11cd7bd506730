package config

import (
	"os"
	"syscall"
)

func identityOf(fi os.FileInfo) (identity, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || !fi.Mode().IsRegular() {
		return identity{}, false
	}
	return identity{present: true, dev: st.Dev, ino: st.Ino, size: uint64(st.Size),
		mtime: uint64(st.Mtim.Nano()), ctimeNs: uint64(st.Ctim.Nano())}, true
}
