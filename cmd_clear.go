package main

import (
	"context"
	"fmt"
	"os"

	"github.com/hop-cli/hop/untrusted"
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
	for profile, s := range sessions {
		if err := f.Logout(context.Background(), cfg, profile, s); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "hop: signed out of %s\n", untrusted.Text(s.StartURL))
	}
	return nil
}
