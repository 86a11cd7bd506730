package cli

import (
	"context"
	"os"

	"github.com/hop-cli/hop/inspect"
)

// ExplainCmd shows how a profile's credentials are obtained.
type ExplainCmd struct {
	Profile string `arg:"" help:"AWS profile to explain." predictor:"profile"`
}

func (c *ExplainCmd) Run(ctx context.Context, g *Globals) error {
	cfg, err := g.config(ctx)
	if err != nil {
		return err
	}
	if err := inspect.Explain(os.Stdout, cfg, c.Profile, g.cacheView()); err != nil {
		return errAlreadyReported
	}
	return nil
}
