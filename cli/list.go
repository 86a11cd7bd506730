package cli

import (
	"context"
	"os"

	"github.com/hop-cli/hop/inspect"
)

// ListCmd shows the profiles, their chains and cached sessions.
type ListCmd struct {
	JSON bool `name:"json" help:"Print JSON for scripts."`
}

func (c *ListCmd) Run(ctx context.Context, g *Globals) error {
	cfg, err := g.config(ctx)
	if err != nil {
		return err
	}
	cache := g.cacheView()
	rows := inspect.Rows(cfg, cache)
	if c.JSON {
		return inspect.WriteJSON(os.Stdout, rows)
	}
	return inspect.WriteTable(os.Stdout, rows, cache)
}
