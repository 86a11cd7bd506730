//go:build !linux

package creds

// peekKeyctl: the kernel keyring exists on Linux only.
func peekKeyctl(string) ([]byte, bool) { return nil, false }
