package main

import (
	"context"
	"os"

	"github.com/hop-cli/hop/export"
)

// ExportCmd prints credentials for tools hop cannot wrap.
type ExportCmd struct {
	Profile string       `arg:"" optional:"" help:"AWS profile to export (default: pick one on the terminal)." predictor:"profile"`
	Format  string       `short:"f" default:"env" enum:"${formats}" help:"Output format: ${formats}."`
	Session sessionFlags `embed:""`
}

func (c *ExportCmd) Run(g *Globals) error {
	profile, err := g.profileOrPick(c.Profile, "export")
	if err != nil {
		return err
	}
	sess, err := g.session(context.Background(), profile, c.Session)
	if err != nil {
		return err
	}
	return export.Write(os.Stdout, c.Format, sess)
}
