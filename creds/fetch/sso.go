package fetch

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	ssooidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/untrusted"
)

const (
	// refreshWindow is how close to expiry a token is refreshed, ahead of
	// the SDK which only refreshes an expired one.
	refreshWindow = 15 * time.Minute
	// loginWait bounds how long a process waits for another's login, which
	// needs a person at a browser.
	loginWait  = 10 * time.Minute
	clientName = "hop"
)

// ssoProvider fetches the permission set's role credentials for an SSO hop.
type ssoProvider struct {
	f   *Fetcher
	hop *creds.Hop
}

func (p *ssoProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	s := p.hop.SSO
	tok, err := p.f.Token(ctx, s, false)
	if err != nil {
		return aws.Credentials{}, err
	}
	out, err := p.roleCredentials(ctx, tok)
	if isUnauthorized(err) {
		// The portal no longer honours the token (signed out, revoked):
		// refresh or log in again once.
		p.f.debugf("portal rejected the cached token for %s; signing in again", s.StartURL)
		if tok, err = p.f.Token(ctx, s, true); err != nil {
			return aws.Credentials{}, err
		}
		out, err = p.roleCredentials(ctx, tok)
	}
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("profile %s: getting credentials for role %s in account %s from Identity Center: %w",
			p.hop.Profile, s.RoleName, s.AccountID, p.f.brief(err))
	}
	rc := out.RoleCredentials
	return aws.Credentials{
		AccessKeyID:     aws.ToString(rc.AccessKeyId),
		SecretAccessKey: aws.ToString(rc.SecretAccessKey),
		SessionToken:    aws.ToString(rc.SessionToken),
		CanExpire:       true,
		Expires:         time.UnixMilli(rc.Expiration).UTC(),
		Source:          "hop-sso",
		AccountID:       s.AccountID,
	}, nil
}

func (p *ssoProvider) roleCredentials(ctx context.Context, tok *creds.Token) (*sso.GetRoleCredentialsOutput, error) {
	s := p.hop.SSO
	return p.f.ssoClient(s).GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{
		AccessToken: aws.String(tok.AccessToken),
		AccountId:   aws.String(s.AccountID),
		RoleName:    aws.String(s.RoleName),
	})
}

// lockSignIn serialises sign-ins and refreshes of one SSO session across
// processes.
func (f *Fetcher) lockSignIn(ctx context.Context, s *config.SSOSettings) (release func(), err error) {
	name := strings.TrimSuffix(filepath.Base(f.tokenCache.Path(s)), ".json")
	return f.locks.Acquire(ctx, "sso-"+name, "signing in to "+s.StartURL, loginWait)
}

// creds.Token returns a usable access token for an SSO session: from the AWS CLI
// cache, refreshed near expiry, or from a new login. force skips a cached
// token the portal has rejected.
func (f *Fetcher) Token(ctx context.Context, s *config.SSOSettings, force bool) (*creds.Token, error) {
	cache := f.tokenCache
	if !force {
		if tok, _ := cache.Load(s); tok != nil && tok.Expires().After(f.now().Add(refreshWindow)) {
			return tok, nil
		}
	}
	release, err := f.lockSignIn(ctx, s)
	if err != nil {
		return nil, err
	}
	defer release()

	// Another process may have signed in while this one waited.
	tok, loadErr := cache.Load(s)
	if loadErr != nil && !errors.Is(loadErr, creds.ErrInvalidToken) {
		return nil, loadErr
	}
	if loadErr != nil {
		f.debugf("%v; signing in again", loadErr)
	}
	now := f.now()
	if tok != nil && !force && tok.Expires().After(now.Add(refreshWindow)) {
		return tok, nil
	}
	if tok != nil && tok.CanRefresh(now) {
		fresh, err := f.refresh(ctx, s, tok)
		if err == nil {
			return fresh, nil
		}
		f.debugf("refreshing the SSO token failed: %v", err)
		if !force && tok.Expires().After(now) {
			// Still valid for a while: use it rather than interrupt the
			// user with a login.
			return tok, nil
		}
	} else if tok != nil && !force && tok.Expires().After(now) {
		return tok, nil
	}
	return f.login(ctx, s)
}

func (f *Fetcher) refresh(ctx context.Context, s *config.SSOSettings, old *creds.Token) (*creds.Token, error) {
	out, err := f.oidcClient(s).CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId:     aws.String(old.ClientID),
		ClientSecret: aws.String(old.ClientSecret),
		GrantType:    aws.String("refresh_token"),
		RefreshToken: aws.String(old.RefreshToken),
	})
	if err != nil {
		return nil, err
	}
	tok := *old
	f.fillToken(&tok, out)
	if err := f.tokenCache.Save(s, &tok); err != nil {
		return nil, err
	}
	f.debugf("refreshed the SSO token for %s", s.StartURL)
	return &tok, nil
}

func (f *Fetcher) fillToken(tok *creds.Token, out *ssooidc.CreateTokenOutput) {
	tok.AccessToken = aws.ToString(out.AccessToken)
	tok.ExpiresAt = f.now().Add(time.Duration(out.ExpiresIn) * time.Second).UTC().Format(creds.CLITime)
	if out.RefreshToken != nil {
		tok.RefreshToken = aws.ToString(out.RefreshToken)
	}
}

// login signs in afresh: in the browser with PKCE when one can be opened,
// otherwise with a device code the user confirms on any device.
func (f *Fetcher) login(ctx context.Context, s *config.SSOSettings) (*creds.Token, error) {
	tok, err := f.signIn(ctx, s)
	if err != nil && ctx.Err() != nil {
		// Whatever step the interruption cut short, the SDK's account of
		// it ("StatusCode: 0, RequestID: , canceled") tells the user
		// nothing they do not know.
		return nil, &sdkError{msg: "sign-in to " + s.StartURL + " interrupted", err: ctx.Err()}
	}
	return tok, err
}

func (f *Fetcher) signIn(ctx context.Context, s *config.SSOSettings) (*creds.Token, error) {
	if f.opts.NonInteractive {
		return nil, fmt.Errorf("the SSO session for %s has expired and signing in %w; run 'hop login %s' first", s.StartURL, ErrNeedsPerson, f.chain.Profile)
	}
	if !f.opts.NoBrowser && !f.opts.UseDeviceCode && f.opts.OpenBrowser != nil {
		tok, err := f.loginWithBrowser(ctx, s, &creds.Token{StartURL: s.StartURL, Region: s.Region})
		if !errors.Is(err, errNoBrowser) {
			return tok, err
		}
	}
	return f.loginWithDeviceCode(ctx, s, &creds.Token{StartURL: s.StartURL, Region: s.Region})
}

// loginWithDeviceCode runs the OIDC device-authorization flow.
func (f *Fetcher) loginWithDeviceCode(ctx context.Context, s *config.SSOSettings, tok *creds.Token) (*creds.Token, error) {
	client := f.oidcClient(s)
	reg, err := client.RegisterClient(ctx, &ssooidc.RegisterClientInput{
		ClientName: aws.String(clientName),
		ClientType: aws.String("public"),
		Scopes:     s.Scopes,
	})
	if err != nil {
		return nil, fmt.Errorf("registering hop with Identity Center at %s: %w", s.StartURL, f.brief(err))
	}
	tok.ClientID, tok.ClientSecret = aws.ToString(reg.ClientId), aws.ToString(reg.ClientSecret)
	tok.RegistrationExpiresAt = time.Unix(reg.ClientSecretExpiresAt, 0).UTC().Format(creds.CLITime)

	dev, err := client.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
		ClientId:     aws.String(tok.ClientID),
		ClientSecret: aws.String(tok.ClientSecret),
		StartUrl:     aws.String(s.StartURL),
	})
	if err != nil {
		return nil, fmt.Errorf("starting sign-in to %s: %w", s.StartURL, f.brief(err))
	}
	url := aws.ToString(dev.VerificationUriComplete)
	if url == "" {
		url = aws.ToString(dev.VerificationUri)
	}
	// The code and URL are printed even when stderr is not a terminal:
	// without them nobody can finish the sign-in. They come from the
	// server: each stays on its line.
	fmt.Fprintf(f.opts.Stderr, "hop: sign in to %s\nhop: open %s and confirm the code %s\n",
		untrusted.Text(s.StartURL), untrusted.Text(url), untrusted.Text(aws.ToString(dev.UserCode)))
	if !f.opts.NoBrowser && f.opts.OpenBrowser != nil {
		if err := f.opts.OpenBrowser(url); err != nil {
			f.debugf("could not open a browser: %v", err)
		}
	}

	interval := time.Duration(dev.Interval) * time.Second
	if interval <= 0 {
		interval = 5 * time.Second
	}
	deadline := f.now().Add(time.Duration(dev.ExpiresIn) * time.Second)
	defer f.status.clearProgress()
	for {
		if err := f.waitShowingCountdown(ctx, interval, deadline); err != nil {
			return nil, fmt.Errorf("sign-in to %s interrupted: %w", s.StartURL, err)
		}
		out, err := client.CreateToken(ctx, &ssooidc.CreateTokenInput{
			ClientId:     aws.String(tok.ClientID),
			ClientSecret: aws.String(tok.ClientSecret),
			GrantType:    aws.String("urn:ietf:params:oauth:grant-type:device_code"),
			DeviceCode:   dev.DeviceCode,
		})
		var pending *ssooidctypes.AuthorizationPendingException
		var slow *ssooidctypes.SlowDownException
		switch {
		case err == nil:
			return f.saveLogin(s, tok, out)
		case errors.As(err, &pending):
		case errors.As(err, &slow):
			interval += 5 * time.Second
		default:
			return nil, fmt.Errorf("signing in to %s: %w", s.StartURL, f.brief(err))
		}
		if dev.ExpiresIn > 0 && f.now().After(deadline) {
			return nil, fmt.Errorf("the sign-in code for %s expired before it was confirmed; run the command again", s.StartURL)
		}
	}
}

// waitShowingCountdown sleeps for d, updating a countdown to deadline on a
// terminal.
func (f *Fetcher) waitShowingCountdown(ctx context.Context, d time.Duration, deadline time.Time) error {
	end := time.After(d)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		left := deadline.Sub(f.now()).Round(time.Second)
		f.progress("hop: waiting for the sign-in to be confirmed (%s left)", left)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-end:
			return nil
		case <-tick.C:
		}
	}
}

// progress shows transient status on one line, only on a terminal. The
// next message erases it (see statusWriter).
func (f *Fetcher) progress(format string, args ...any) {
	if f.opts.Progress {
		f.status.progress(format, args...)
	}
}

// saveLogin stores a new token in the AWS CLI cache.
func (f *Fetcher) saveLogin(s *config.SSOSettings, tok *creds.Token, out *ssooidc.CreateTokenOutput) (*creds.Token, error) {
	f.fillToken(tok, out)
	if err := f.tokenCache.Save(s, tok); err != nil {
		return nil, err
	}
	fmt.Fprintf(f.opts.Stderr, "hop: signed in to %s\n", s.StartURL)
	return tok, nil
}

// Login makes sure the SSO session has a usable token, signing in when it
// has none (or always, with force). profile, when set, is the profile the
// session was named through, whose endpoint settings apply.
func (f *Fetcher) Login(ctx context.Context, cfg *config.Config, profile string, s *config.SSOSettings, force bool) (*creds.Token, error) {
	f.chain = &creds.Chain{Profile: profile, Config: cfg}
	if !force {
		return f.Token(ctx, s, false)
	}
	release, err := f.lockSignIn(ctx, s)
	if err != nil {
		return nil, err
	}
	defer release()
	return f.login(ctx, s)
}
