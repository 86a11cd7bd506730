package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/inspect"
	"github.com/hop-cli/hop/picker"
	"github.com/hop-cli/hop/untrusted"
)

// LoginCmd signs in to IAM Identity Center ahead of time.
type LoginCmd struct {
	Profile    string     `arg:"" optional:"" help:"Profile whose SSO session to sign in to (default: AWS_PROFILE's, the only sso-session, or pick one)." predictor:"profile"`
	SSOSession string     `name:"sso-session" help:"Sign in to this [sso-session] instead of a profile's." placeholder:"NAME" predictor:"sso-session"`
	Force      bool       `help:"Sign in again even if the cached token is still valid."`
	Login      loginFlags `embed:""`
}

// Validate refuses a line that names two sessions.
func (c *LoginCmd) Validate() error {
	if c.Profile != "" && c.SSOSession != "" {
		return errors.New("name a profile or --sso-session, not both")
	}
	return nil
}

func (c *LoginCmd) Run(ctx context.Context, g *Globals) error {
	cfg, err := g.config(ctx)
	if err != nil {
		return err
	}
	profile, s, err := g.loginTarget(ctx, cfg, c.Profile, c.SSOSession)
	if err != nil {
		return err
	}
	f, err := g.newFetcher(ctx, c.Login, "")
	if err != nil {
		return err
	}
	ctx, stop := interruptible(ctx)
	defer stop()
	tok, err := f.Login(ctx, cfg, profile, s, c.Force)
	if err != nil {
		return err
	}
	// A new sign-in has already said "signed in"; this says for how long.
	now := time.Now()
	fmt.Fprintf(os.Stderr, "hop: the session for %s is valid until %s (%s left)\n", untrusted.Text(s.StartURL),
		inspect.Clock(tok.Expires(), now), inspect.Duration(inspect.Left(tok.Expires(), now)))
	return nil
}

// loginTarget is the SSO session login means: the profile's or the
// session named; with neither, AWS_PROFILE's or the only one, else the one
// behind a profile the user picks.
func (g *Globals) loginTarget(ctx context.Context, cfg *config.Config, profile, session string) (string, *config.SSOSettings, error) {
	if profile != "" || session != "" {
		s, err := ssoSettingsFor(cfg, profile, session)
		return profile, s, err
	}
	profile, s, err := chooseSSOSession(cfg, "")
	var many *sessionChoiceError
	if !errors.As(err, &many) || picker.Available(os.Getenv) != nil {
		return profile, s, err
	}
	if profile, err = g.pickProfile(ctx, "login", usesSSO); err != nil {
		return "", nil, err
	}
	s, err = ssoSettingsFor(cfg, profile, "")
	return profile, s, err
}

// ssoSettingsFor finds the SSO session behind a profile (the source of its
// chain) or names one directly (the name, when both are given: login
// refuses that line as it reads it).
func ssoSettingsFor(cfg *config.Config, profile, session string) (*config.SSOSettings, error) {
	switch {
	case session != "":
		return cfg.SessionSettings(session)
	case profile == "":
		return nil, errors.New("name a profile, or an SSO session with --sso-session")
	}
	chain, err := creds.Resolve(cfg, profile)
	if err != nil {
		return nil, err
	}
	if src := chain.Hops[0]; src.Kind != creds.KindSSO {
		return nil, fmt.Errorf("profile %s does not use IAM Identity Center (its chain %s starts with %s); nothing to sign in to (to open the console signed in as it, as aws-vault login does, run hop console %[1]s)", profile, chain, src.Kind)
	}
	return chain.Hops[0].SSO, nil
}
