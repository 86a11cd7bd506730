//go:build !linux

package store

// holdsKeyctl: the kernel keyring exists on Linux only.
func holdsKeyctl(string) bool { return false }

// keyctlItems cannot list a store that does not exist.
func keyctlItems() map[string]bool { return nil }
