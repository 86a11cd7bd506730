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
	// Ask the size first: a session is a few hundred bytes, and a buffer
	// sized for the worst case would cost a fresh page.
	var buf []byte
	for {
		n, err := unix.KeyctlBuffer(unix.KEYCTL_READ, id, buf, 0)
		if err != nil {
			return nil, false
		}
		if n <= len(buf) {
			return buf[:n], true
		}
		buf = make([]byte, n)
	}
}
