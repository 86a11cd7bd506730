package main

import (
	"context"
	"fmt"
	"os"
)

// ClearCmd drops cached sessions, and with --sso the Identity Center token.
type ClearCmd struct {
	Profile string `arg:"" optional:"" help:"Only this profile's sessions (default: all)." predictor:"profile"`
	SSO     bool   `name:"sso" help:"Also sign out of the profile's SSO session (all sessions without a profile) and remove its token."`
}

func (c *ClearCmd) Run(g *Globals) error {
	f, err := g.newFetcher(loginFlags{}, "")
	if err != nil {
		return err
	}
	n, err := f.Clear(c.Profile)
	if err != nil {
		return err
	}
	if n == 0 && c.Profile != "" {
		// Nothing cached under a name the config does not know either: a
		// typo, which removing nothing would hide.
		cfg, err := g.config()
		if err != nil {
			return err
		}
		if _, ok := cfg.Profile(c.Profile); !ok {
			return fmt.Errorf("profile %q is not in %s, and hop has no session cached for it; %s", c.Profile, cfg.ConfigPath, cfg.NotFoundHint(c.Profile, "run 'hop list' to see the profiles"))
		}
	}
	fmt.Fprintf(os.Stderr, "hop: removed %d cached session(s)\n", n)
	if !c.SSO {
		return nil
	}
	cfg, err := g.config()
	if err != nil {
		return err
	}
	sessions, err := ssoSessionsToClear(cfg, c.Profile)
	if err != nil {
		return err
	}
	ctx, stop := interruptible(context.Background())
	defer stop()
	return f.Logout(ctx, cfg, sessions)
}
