package cli

import (
	"os"

	"github.com/hop-cli/hop/version"
)

// VersionCmd prints which hop this is, as --version does.
type VersionCmd struct {
	JSON bool `help:"Print the same fields as one JSON object."`
}

func (c *VersionCmd) Run() error {
	info := version.Current()
	if c.JSON {
		return info.WriteJSON(os.Stdout)
	}
	_, err := os.Stdout.WriteString(info.String())
	return err
}
