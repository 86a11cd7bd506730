//go:build !linux

package fetch

// awsVaultKeyctlExists: the kernel keyring exists on Linux only.
func awsVaultKeyctlExists(string) bool { return false }
