package fetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/99designs/keyring"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/store"
)

// Options configure a Fetcher. The zero value of each field is a safe
// default except Getenv and Stderr, which the caller supplies.
type Options struct {
	Getenv func(string) string
	Stderr io.Writer
	// Keyring caches sessions; nil disables the cache.
	Keyring keyring.Keyring

	NoBrowser bool
	// UseDeviceCode signs in with a device code even when a browser
	// could be opened.
	UseDeviceCode bool
	OpenBrowser   func(url string) error
	// NonInteractive refuses to start a sign-in or ask for an MFA code:
	// such a fetch fails with an error wrapping ErrNeedsPerson instead.
	NonInteractive bool
	// MinValidity is how long a cached session must still be valid to be
	// used, beyond the creds.ReuseMargin every use wants. A credential
	// server asks for more, so that what it hands out outlives the SDKs'
	// own refresh windows.
	MinValidity time.Duration
	// Progress shows transient status (countdowns); set it when Stderr is
	// a terminal.
	Progress bool

	// MFAToken answers the first MFA prompt; otherwise MFAPrompt asks.
	MFAToken  string
	MFAPrompt func(profile, serial string) (string, error)

	HTTPClient *http.Client
	Debugf     func(format string, args ...any)
	Now        func() time.Time
}

// Fetcher turns chains into credentials, hop by hop, through the session
// cache.
type Fetcher struct {
	opts Options
	// status is opts.Stderr: every message and the progress line.
	status     *statusWriter
	tokenCache creds.TokenCache
	loginCache creds.LoginCache
	locks      store.Locks
	index      store.Index
	chain      *creds.Chain
	// opTimeout bounds each AWS call, its retries included.
	opTimeout time.Duration
}

// New prepares a Fetcher. It does no I/O.
func New(opts Options) *Fetcher {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = NewHTTPClient()
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	status := &statusWriter{w: opts.Stderr}
	opts.Stderr = status
	return &Fetcher{
		opts:       opts,
		status:     status,
		tokenCache: creds.TokenCacheFor(opts.Getenv),
		loginCache: creds.LoginCacheFor(opts.Getenv),
		locks:      store.LocksFor(opts.Getenv, opts.Stderr),
		index:      store.IndexFor(opts.Getenv),
		opTimeout:  operationTimeout,
	}
}

func (f *Fetcher) now() time.Time { return f.opts.Now() }

func (f *Fetcher) debugf(format string, args ...any) {
	if f.opts.Debugf != nil {
		f.status.clearProgress()
		f.opts.Debugf(format, args...)
	}
}

// Credentials returns the target's credentials, from the cache when it holds
// a fresh session and otherwise by walking the chain from its source.
func (f *Fetcher) Credentials(ctx context.Context, c *creds.Chain) (*creds.Session, error) {
	f.chain = c
	f.debugf("chain %s", c)
	got, err := f.provider(len(c.Hops) - 1).Retrieve(ctx)
	if err != nil {
		return nil, err
	}
	cr := creds.Credentials{
		AccessKeyID:     got.AccessKeyID,
		SecretAccessKey: got.SecretAccessKey,
		SessionToken:    got.SessionToken,
		AccountID:       got.AccountID,
	}
	if got.CanExpire {
		cr.Expires = got.Expires
	}
	return c.Session(cr), nil
}

// provider builds hop i's provider around its source's, wrapping the kinds
// worth caching. Nothing here touches the network until Retrieve.
func (f *Fetcher) provider(i int) aws.CredentialsProvider {
	hop := &f.chain.Hops[i]
	var p aws.CredentialsProvider
	switch hop.Kind {
	case creds.KindSSO:
		p = &ssoProvider{f: f, hop: hop}
	case creds.KindRole:
		p = &roleProvider{f: f, hop: hop, source: f.provider(i - 1)}
	case creds.KindWebIdentity:
		p = &webIdentityProvider{f: f, hop: hop}
	case creds.KindLogin:
		p = &loginProvider{f: f, hop: hop}
	case creds.KindStored:
		p = f.storedKeyProvider(hop)
	default:
		return checked{hop, f.sourceProvider(hop)}
	}
	// Checked inside the cache, so nothing refused is ever stored.
	p = checked{hop, p}
	if f.opts.Keyring == nil || !hop.Cacheable() {
		return p
	}
	return &cachedProvider{f: f, hop: i, profile: hop.Profile, inner: p}
}

// stsClient is built on demand so a warm run never constructs one.
func (f *Fetcher) stsClient(source aws.CredentialsProvider) *sts.Client {
	region := f.chain.Region
	if region == "" {
		region = "us-east-1"
	}
	return sts.New(sts.Options{
		Region:       region,
		BaseEndpoint: optional(f.endpoint(config.ServiceSTS)),
		Credentials:  source,
		HTTPClient:   f.opts.HTTPClient,
		Retryer:      f.newRetryer(),
		APIOptions:   f.apiOptions(),
	})
}

func (f *Fetcher) ssoClient(s *config.SSOSettings) *sso.Client {
	return f.ssoClientAt(s, f.endpoint(config.ServiceSSO))
}

// ssoClientAt takes the endpoint from the caller, for work outside a
// chain.
func (f *Fetcher) ssoClientAt(s *config.SSOSettings, endpoint string) *sso.Client {
	return sso.New(sso.Options{
		Region:       s.Region,
		BaseEndpoint: optional(endpoint),
		HTTPClient:   f.opts.HTTPClient,
		Retryer:      f.newRetryer(),
		APIOptions:   f.apiOptions(),
	})
}

func (f *Fetcher) oidcClient(s *config.SSOSettings) *ssooidc.Client {
	return ssooidc.New(ssooidc.Options{
		Region:       s.Region,
		BaseEndpoint: optional(f.endpoint(config.ServiceSSOOIDC)),
		HTTPClient:   f.opts.HTTPClient,
		Retryer:      f.newRetryer(),
		APIOptions:   f.apiOptions(),
	})
}

// endpoint is a service's configured endpoint for the profile in hand.
func (f *Fetcher) endpoint(s config.Service) string {
	return f.chain.Config.Endpoint(f.chain.Profile, s, f.opts.Getenv)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func isUnauthorized(err error) bool {
	var u *ssotypes.UnauthorizedException
	return errors.As(err, &u)
}
