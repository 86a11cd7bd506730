//go:build !linux

package store

// peekKeyctl: the kernel keyring exists on Linux only.
func peekKeyctl(string) ([]byte, bool) { return nil, false }
