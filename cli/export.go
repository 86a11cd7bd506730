package cli

import (
	"context"
	"os"

	"github.com/hop-cli/hop/export"
	"github.com/hop-cli/hop/tty"
)

// ExportCmd prints credentials for tools hop cannot wrap.
type ExportCmd struct {
	Profile string `arg:"" optional:"" help:"AWS profile to export (default: pick one on the terminal)." predictor:"profile"`
	Format  string `short:"f" default:"${exportformat}" enum:"${accepted}" help:"Output format: ${formats}."`
	// Stdout is aws-vault's spelling of --no-browser.
	Stdout  bool         `hidden:"" help:"The same as --no-browser."`
	Session sessionFlags `embed:""`
}

func (c *ExportCmd) Run(ctx context.Context, g *Globals) error {
	profile, err := g.profileOrPick(ctx, c.Profile, "export")
	if err != nil {
		return err
	}
	c.Session.Login.NoBrowser = c.Session.Login.NoBrowser || c.Stdout
	if c.Format == "process" && !tty.Available() {
		// A credential_process: the tool running it shows nothing of
		// hop's stderr while it waits, so a sign-in or a prompt would
		// wait minutes for someone who cannot see it.
		c.Session.Login.nonInteractive = true
	}
	sess, err := g.session(ctx, profile, c.Session)
	if err != nil {
		return err
	}
	return export.Write(os.Stdout, c.Format, sess)
}
