package cli

import (
	"context"
	"os"
	"time"

	"github.com/hop-cli/hop/inspect"
)

// ListCmd shows the profiles, their chains and cached sessions.
type ListCmd struct {
	JSON bool `name:"json" xor:"list-output" help:"Print JSON for scripts."`
	// aws-vault's lists of names, one a line.
	Profiles    bool `xor:"list-output" help:"Print only the profiles' names."`
	Credentials bool `xor:"list-output" help:"Print only the names of profiles with a stored key."`
	Sessions    bool `xor:"list-output" help:"Print only the names of profiles with a cached session, and when it expires."`
}

func (c *ListCmd) Run(ctx context.Context, g *Globals) error {
	cfg, err := g.config(ctx)
	if err != nil {
		return err
	}
	cache := g.cacheView()
	rows := inspect.Rows(cfg, cache)
	switch {
	case c.JSON:
		return inspect.WriteJSON(os.Stdout, rows)
	case c.Profiles:
		return inspect.WriteNames(os.Stdout, rows, func(inspect.Row) (string, bool) { return "", true })
	case c.Credentials:
		return inspect.WriteNames(os.Stdout, rows, func(r inspect.Row) (string, bool) {
			return "", cfg.HasStoredKey != nil && cfg.HasStoredKey(r.Profile)
		})
	case c.Sessions:
		now := time.Now()
		return inspect.WriteNames(os.Stdout, rows, func(r inspect.Row) (string, bool) {
			if r.Expires == nil || !r.Expires.After(now) {
				return "", false
			}
			return "until " + inspect.Clock(*r.Expires, now), true
		})
	}
	return inspect.WriteTable(os.Stdout, rows, cache)
}
