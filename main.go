// Command hop-core runs commands with temporary AWS credentials from a
// profile chain, keeping them in the child's environment only.
//
// This is the whole CLI (package cli). `make install` puts it at
// PREFIX/libexec/hop/hop-core, behind the front in cmd/hop, which serves a
// shell's init and a warm exec without loading it; built on its own it is a
// complete, if slower to start, hop.
package main

import (
	"os"

	"github.com/hop-cli/hop/cli"
)

func main() { cli.Main(os.Args[1:]) }
