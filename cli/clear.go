package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/fetch"
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
			return fmt.Errorf("profile %q is not in %s, and hop has no session cached for it; %s", c.Profile, cfg.ConfigPath, cfg.NotFoundHint(c.Profile, "run 'hop list' to see the profiles"))
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

// ssoSessionsToClear finds the SSO sessions `clear --sso` signs out of:
// the profile's, or every one the config names, each with a profile that
// reaches it ("" for an [sso-session] no profile uses).
func ssoSessionsToClear(cfg *config.Config, profile string) ([]fetch.SignOut, error) {
	if profile != "" {
		s, err := ssoSettingsFor(cfg, profile, "")
		if err != nil {
			return nil, err
		}
		return []fetch.SignOut{{Profile: profile, SSO: s}}, nil
	}
	var out []fetch.SignOut
	seen := map[string]bool{}
	add := func(profile string, s *config.SSOSettings) {
		if key := s.Session + "|" + s.StartURL; !seen[key] {
			seen[key] = true
			out = append(out, fetch.SignOut{Profile: profile, SSO: s})
		}
	}
	for _, name := range cfg.ProfileNames() {
		if chain, err := creds.Resolve(cfg, name); err == nil && chain.Hops[0].Kind == creds.KindSSO {
			add(name, chain.Hops[0].SSO)
		}
	}
	// A session signed in to with --sso-session may have no profile.
	for _, name := range cfg.SSOSessionNames() {
		if s, err := cfg.SessionSettings(name); err == nil {
			add("", s)
		}
	}
	return out, nil
}
