package fetch

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"

	"github.com/hop-cli/hop/creds"
)

// logoutWait bounds each sign-out: it is a courtesy to the portal, and a
// dead Identity Center must not hold up clearing the tokens.
const logoutWait = 5 * time.Second

// Logout ends SSO sessions at their portals and removes their cached
// tokens, so neither hop nor the AWS CLI uses them again. sessions maps a
// profile that reaches each session ("" for none) to it. The sign-outs
// run at once, each bounded by logoutWait; one that fails is a warning,
// and the token goes anyway.
func (f *Fetcher) Logout(ctx context.Context, cfg *creds.Config, sessions map[string]*creds.SSOSettings) error {
	profiles := slices.Sorted(maps.Keys(sessions))
	outcomes := make([]string, len(profiles))
	errs := make([]error, len(profiles))
	var wg sync.WaitGroup
	for i, profile := range profiles {
		wg.Go(func() {
			outcomes[i], errs[i] = f.logout(ctx, cfg, profile, sessions[profile])
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
func (f *Fetcher) logout(ctx context.Context, cfg *creds.Config, profile string, s *creds.SSOSettings) (string, error) {
	var note string
	tok, _ := f.tokenCache.Load(s)
	if tok != nil && tok.Expires().After(f.now()) {
		ctx, cancel := context.WithTimeout(ctx, logoutWait)
		defer cancel()
		client := f.ssoClientAt(s, cfg.Endpoint(profile, creds.ServiceSSO, f.opts.Getenv))
		if _, err := client.Logout(ctx, &sso.LogoutInput{AccessToken: aws.String(tok.AccessToken)}); err != nil {
			note = fmt.Sprintf("hop: warning: signing out of %s failed (%v); removing the cached token anyway\n", s.StartURL, err)
		}
	}
	if err := f.tokenCache.Remove(s); err != nil {
		return note, fmt.Errorf("removing the SSO token for %s: %w", s.StartURL, err)
	}
	return note + "hop: signed out of " + s.StartURL, nil
}
