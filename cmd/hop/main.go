// Command hop is the front that `make install` puts on PATH: it serves a
// shell's init, and a warm exec, export or renewal, itself and hands
// everything else to hop-core (see package front).
package main

import (
	"os"

	"github.com/hop-cli/hop/front"
)

func main() { front.Main(os.Args[1:]) }
