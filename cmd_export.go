package main

import (
	"context"
	"os"

	"github.com/hop-cli/hop/export"
)

// ExportCmd prints credentials for tools hop cannot wrap.
type ExportCmd struct {
	Profile  string     `arg:"" help:"AWS profile to export." predictor:"profile"`
	Format   string     `short:"f" default:"env" enum:"${formats}" help:"Output format: ${formats}."`
	Region   string     `help:"Region to resolve the chain for (default: from the profile chain)."`
	MFAToken string     `name:"mfa-token" help:"MFA code for a role that needs one."`
	Login    loginFlags `embed:""`
}

func (c *ExportCmd) Run(g *Globals) error {
	chain, err := g.resolve(c.Profile)
	if err != nil {
		return err
	}
	sess, err := g.credentials(context.Background(), chain, c.Login, c.MFAToken)
	if err != nil {
		return err
	}
	return export.Write(os.Stdout, c.Format, childSession(sess, chain, c.Region))
}
