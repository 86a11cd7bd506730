//go:build !unix

package store

import "io/fs"

// Elsewhere the platform's own access control guards hop's files.
const (
	OpenNonBlock = 0
	openNoFollow = 0
)

func fileOwner(fs.FileInfo) (int, bool) { return 0, false }
