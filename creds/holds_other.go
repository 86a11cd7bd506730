//go:build !linux

package creds

// holdsKeyctl: the kernel keyring exists on Linux only.
func holdsKeyctl(string) bool { return false }
