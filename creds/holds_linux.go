package creds

import "golang.org/x/sys/unix"

// holdsKeyctl finds an item in the kernel keyring store (see peekKeyctl)
// without reading it.
func holdsKeyctl(key string) bool {
	ring, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", StoreName, 0)
	if err != nil {
		return false
	}
	_, err = unix.KeyctlSearch(ring, "user", key, 0)
	return err == nil
}
