package store

import "golang.org/x/sys/unix"

// peekKeyctl reads the library's kernel keyring store: a keyring named
// Name in the user keyring, holding one "user" key per item.
func peekKeyctl(key string) ([]byte, bool) {
	ring, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", Name, 0)
	if err != nil {
		return nil, false
	}
	id, err := unix.KeyctlSearch(ring, "user", key, 0)
	if err != nil {
		return nil, false
	}
	// One read into a buffer on the stack holds a session (a few hundred
	// bytes) and saves asking the size first; only the bytes read are
	// copied to the heap. A larger item is read again at its size.
	var small [2048]byte
	n, err := unix.KeyctlBuffer(unix.KEYCTL_READ, id, small[:], 0)
	if err != nil {
		return nil, false
	}
	if n <= len(small) {
		return append([]byte(nil), small[:n]...), true
	}
	for {
		buf := make([]byte, n)
		if n, err = unix.KeyctlBuffer(unix.KEYCTL_READ, id, buf, 0); err != nil {
			return nil, false
		}
		if n <= len(buf) {
			return buf[:n], true
		}
	}
}
