//go:build !linux

package config

import "os"

// identityOf: hop indexes configs on Linux only, where it knows the stat
// fields; elsewhere every load is the full parse.
func identityOf(os.FileInfo) (identity, bool) { return identity{}, false }
