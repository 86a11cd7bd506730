package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/hop-cli/hop/creds"
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

// ssoSessionsToClear finds the SSO sessions `clear --sso` signs out of:
// the profile's, or every one the config names, keyed by a profile that
// reaches it ("" for an [sso-session] no profile uses).
func ssoSessionsToClear(cfg *creds.Config, profile string) (map[string]*creds.SSOSettings, error) {
	if profile != "" {
		s, err := ssoSettingsFor(cfg, profile, "")
		if err != nil {
			return nil, err
		}
		return map[string]*creds.SSOSettings{profile: s}, nil
	}
	out := map[string]*creds.SSOSettings{}
	seen := map[string]bool{}
	for _, name := range cfg.ProfileNames() {
		chain, err := creds.Resolve(cfg, name)
		if err != nil || chain.Hops[0].Kind != creds.KindSSO {
			continue
		}
		s := chain.Hops[0].SSO
		if key := s.Session + "|" + s.StartURL; !seen[key] {
			seen[key] = true
			out[name] = s
		}
	}
	return out, nil
}
