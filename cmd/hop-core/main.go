// Command hop-core is the whole CLI under the name the front looks for, so
// that `go install github.com/hop-cli/hop/cmd/...@latest` installs the front
// (hop) and hop-core side by side in GOBIN, where the front finds it. The
// module root builds the same program, as hop: complete, slower to start.
package main

import (
	"os"

	"github.com/hop-cli/hop/cli"
)

func main() { cli.Main(os.Args[1:]) }
