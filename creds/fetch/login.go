package fetch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/logincreds"
	"github.com/aws/aws-sdk-go-v2/service/signin"
	signintypes "github.com/aws/aws-sdk-go-v2/service/signin/types"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/store"
)

const (
	// loginRefreshWindow is how close to expiry an `aws login` session's
	// credentials are renewed, ahead of the SDK which renews expired ones
	// only. They last 15 minutes, so the window is shorter than the SSO
	// token's, but no shorter than creds.ReuseMargin: what hop caches
	// from them must be usable.
	loginRefreshWindow = creds.ReuseMargin + time.Minute
	// loginRefreshWait bounds the wait for another process's refresh: one
	// call, no person.
	loginRefreshWait = 2 * time.Minute
)

// loginProvider serves an `aws login` session's credentials from the AWS
// CLI's cache, renewing them near expiry with the session's refresh token.
type loginProvider struct {
	f   *Fetcher
	hop *creds.Hop
}

func (p *loginProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	f, session := p.f, p.hop.LoginSession
	tok, err := f.loginCache.Load(session)
	if err == nil && tok.ExpiresAt.After(f.now().Add(loginRefreshWindow)) {
		return loginCredentials(tok), nil
	}
	if err != nil {
		return aws.Credentials{}, p.ended(err)
	}
	name := strings.TrimSuffix(filepath.Base(f.loginCache.Path(session)), ".json")
	release, err := f.locks.Acquire(ctx, "login-"+name, "renewing the aws login session "+session, loginRefreshWait)
	if err != nil {
		return aws.Credentials{}, err
	}
	defer release()
	// Another process (hop or the CLI) may have renewed it meanwhile.
	if tok, err = f.loginCache.Load(session); err != nil {
		return aws.Credentials{}, p.ended(err)
	}
	if tok.ExpiresAt.After(f.now().Add(loginRefreshWindow)) {
		return loginCredentials(tok), nil
	}
	fresh, denied, err := p.refresh(ctx, tok)
	if err == nil {
		return loginCredentials(fresh), nil
	}
	if denied == nil && tok.ExpiresAt.After(f.now()) {
		// Still valid for a while: a failed early renewal is no reason
		// to fail the command.
		f.debugf("renewing the aws login session %s failed: %v", session, err)
		return loginCredentials(tok), nil
	}
	if denied != nil {
		return aws.Credentials{}, p.ended(fmt.Errorf("%w: the sign-in service refused to renew it (%s)", creds.ErrNoLoginSession, denied.Error_))
	}
	return aws.Credentials{}, fmt.Errorf("profile %s: renewing the aws login session %s: %w", p.hop.Profile, session, f.brief(err))
}

// ended says what only a person can do: hop does not run `aws login`.
func (p *loginProvider) ended(err error) error {
	if !errors.Is(err, creds.ErrNoLoginSession) {
		return fmt.Errorf("profile %s: %w", p.hop.Profile, err)
	}
	return fmt.Errorf("profile %s: %w (%s); run 'aws login --profile %s' to sign in again", p.hop.Profile, err, p.hop.LoginSession, p.hop.Profile)
}

// refresh renews the session through the SDK's logincreds, which signs the
// call with the session's DPoP key. It renews only an expired session and
// writes its file in place, so it is handed a scratch copy marked expired;
// what it writes there is merged into the CLI's file, which is replaced
// whole. denied is the service's refusal, which logincreds reports only as
// text.
func (p *loginProvider) refresh(ctx context.Context, tok *creds.LoginToken) (fresh *creds.LoginToken, denied *signintypes.AccessDeniedException, err error) {
	f, session := p.f, p.hop.LoginSession
	stale := *tok
	stale.ExpiresAt = time.Unix(0, 0)
	data, err := stale.Marshal()
	if err != nil {
		return nil, nil, err
	}
	scratch, err := os.CreateTemp(f.loginCache.Dir, ".refresh-*.json")
	if err != nil {
		return nil, nil, fmt.Errorf("renewing the aws login session: %w", err)
	}
	defer os.Remove(scratch.Name())
	_, err = scratch.Write(data)
	if cerr := scratch.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, nil, fmt.Errorf("renewing the aws login session: %w", err)
	}
	client := &refusals{client: f.signinClient()}
	provider := logincreds.New(client, scratch.Name(), func(o *logincreds.Options) { o.RestrictPermissions = true })
	if _, err := provider.Retrieve(ctx); err != nil {
		return nil, client.denied, err
	}
	data, err = store.ReadRegularFile(scratch.Name(), 1<<20)
	if err != nil {
		return nil, nil, fmt.Errorf("the renewed aws login session: %w", err)
	}
	renewed, err := creds.ParseLoginToken(data)
	if err != nil {
		return nil, nil, fmt.Errorf("the renewed aws login session: %w", err)
	}
	fresh = new(creds.LoginToken)
	*fresh = *tok
	fresh.AccessKeyID, fresh.SecretAccessKey, fresh.SessionToken = renewed.AccessKeyID, renewed.SecretAccessKey, renewed.SessionToken
	fresh.ExpiresAt, fresh.RefreshToken = renewed.ExpiresAt, renewed.RefreshToken
	if err := f.loginCache.Save(session, fresh); err != nil {
		return nil, nil, fmt.Errorf("saving the renewed aws login session: %w", err)
	}
	f.debugf("renewed the aws login session %s until %s", session, fresh.ExpiresAt.UTC().Format(time.RFC3339))
	return fresh, nil, nil
}

// refusals keeps the sign-in service's AccessDeniedException, which says
// the session has ended.
type refusals struct {
	client *signin.Client
	denied *signintypes.AccessDeniedException
}

func (r *refusals) CreateOAuth2Token(ctx context.Context, in *signin.CreateOAuth2TokenInput, opts ...func(*signin.Options)) (*signin.CreateOAuth2TokenOutput, error) {
	out, err := r.client.CreateOAuth2Token(ctx, in, opts...)
	errors.As(err, &r.denied)
	return out, err
}

func loginCredentials(t *creds.LoginToken) aws.Credentials {
	return aws.Credentials{
		AccessKeyID:     t.AccessKeyID,
		SecretAccessKey: t.SecretAccessKey,
		SessionToken:    t.SessionToken,
		CanExpire:       true,
		Expires:         t.ExpiresAt,
		AccountID:       t.AccountID,
		Source:          "hop-login",
	}
}

func (f *Fetcher) signinClient() *signin.Client {
	region := f.chain.Region
	if region == "" {
		region = "us-east-1"
	}
	return signin.New(signin.Options{
		Region:       region,
		BaseEndpoint: optional(f.endpoint(config.ServiceSignin)),
		HTTPClient:   f.opts.HTTPClient,
		Retryer:      f.newRetryer(),
		APIOptions:   f.apiOptions(),
	})
}
