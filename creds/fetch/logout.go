package fetch

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"

	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/untrusted"
)

// logoutWait bounds each sign-out: it is a courtesy to the portal, and a
// dead Identity Center must not hold up clearing the tokens.
const logoutWait = 5 * time.Second

// SignOut is an SSO session to sign out of, and a profile that reaches
// it ("" for none), whose endpoint settings apply.
type SignOut struct {
	Profile string
	SSO     *config.SSOSettings
}

// Logout ends SSO sessions at their portals and removes their cached
// tokens, so neither hop nor the AWS CLI uses them again. The sign-outs
// run at once, each bounded by logoutWait; one that fails is a warning,
// and the token goes anyway. Each is told on a line of its own, in the
// order given.
func (f *Fetcher) Logout(ctx context.Context, cfg *config.Config, sessions []SignOut) error {
	outcomes := make([]string, len(sessions))
	errs := make([]error, len(sessions))
	var wg sync.WaitGroup
	for i, s := range sessions {
		wg.Go(func() {
			outcomes[i], errs[i] = f.logout(ctx, cfg, s.Profile, s.SSO)
		})
	}
	wg.Wait()
	for _, o := range outcomes {
		if o != "" {
			fmt.Fprintln(f.opts.Stderr, o)
		}
	}
	return errors.Join(errs...)
}

// logout signs out of one session and returns what to tell the user.
func (f *Fetcher) logout(ctx context.Context, cfg *config.Config, profile string, s *config.SSOSettings) (string, error) {
	// Two sessions, or a session and a profile that names the start URL
	// itself, may share a start URL: each has a token of its own, and a
	// line that names it.
	what := untrusted.Text(s.StartURL)
	if s.Session != "" {
		what = "sso-session " + untrusted.Text(s.Session) + " (" + what + ")"
	}
	var told string
	tok, err := f.tokenCache.Load(s)
	switch {
	case tok == nil && err == nil:
		// Nothing cached: "signed out" would claim a sign-out that never
		// happened.
		return "hop: not signed in to " + what + "; nothing to sign out of", nil
	case err != nil:
		told = "hop: the cached token for " + what + " cannot be read; removed it"
	case !tok.Expires().After(f.now()):
		told = "hop: the session for " + what + " had already ended; removed its token"
	default:
		ctx, cancel := context.WithTimeout(ctx, logoutWait)
		defer cancel()
		client := f.ssoClientAt(s, cfg.Endpoint(profile, config.ServiceSSO, f.opts.Getenv))
		if _, err := client.Logout(ctx, &sso.LogoutInput{AccessToken: aws.String(tok.AccessToken)}); err != nil {
			told = fmt.Sprintf("hop: warning: signing out of %s failed (%s); removing the cached token anyway\n", what, untrusted.Text(err.Error()))
		}
		told += "hop: signed out of " + what
	}
	if err := f.tokenCache.Remove(s); err != nil {
		return "", fmt.Errorf("removing the SSO token for %s: %w", what, err)
	}
	return told, nil
}
