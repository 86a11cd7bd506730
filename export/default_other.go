//go:build !windows

package export

// DefaultFormat is the POSIX shells'.
const DefaultFormat = "env"
