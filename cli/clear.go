package cli

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

func (c *ClearCmd) Run(ctx context.Context, g *Globals) error {
	f, err := g.newFetcher(ctx, loginFlags{}, "")
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
		cfg, err := g.config(ctx)
		if err != nil {
			return err
		}
		if _, ok := cfg.Profile(c.Profile); !ok {
			return fmt.Errorf("profile %s is not in the AWS config, and hop has no session cached for it", c.Profile)
		}
	}
	fmt.Fprintf(os.Stderr, "hop: removed %d cached session(s)\n", n)
	if !c.SSO {
		return nil
	}
	cfg, err := g.config(ctx)
	if err != nil {
		return err
	}
	sessions, err := ssoSessionsToClear(cfg, c.Profile)
	if err != nil {
		return err
	}
	ctx, stop := interruptible(ctx)
	defer stop()
	return f.Logout(ctx, cfg, sessions)
}
