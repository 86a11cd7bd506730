package cli

import (
	"fmt"
	"os"

	"github.com/hop-cli/hop/shellinit"
)

// InitCmd prints the prompt integration for a shell. It reads no config and
// touches no keyring, so an rc file can eval it at every shell start.
type InitCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish,pwsh" help:"Shell to integrate with: bash, zsh, fish or pwsh (PowerShell)."`
}

func (c *InitCmd) Run() error {
	script, err := shellinit.Script(c.Shell)
	if err != nil {
		return err
	}
	if _, err := os.Stdout.WriteString(script); err != nil {
		return fmt.Errorf("write the %s init script: %w", c.Shell, err)
	}
	return nil
}
