package fetch

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/smithy-go"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/store"
	"github.com/hop-cli/hop/shellwords"
)

// roleProvider assumes a hop's role with its source's credentials.
type roleProvider struct {
	f      *Fetcher
	hop    *creds.Hop
	source aws.CredentialsProvider
}

func (p *roleProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	h := p.hop
	// creds.Resolve the source first, so a chain fails at the hop that broke.
	src, err := p.source.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	if h.MFASerial != "" && p.f.opts.NonInteractive && p.f.opts.MFAToken == "" {
		return aws.Credentials{}, fmt.Errorf("profile %s: role %s %w to type an MFA code from %s", h.Profile, h.RoleARN, ErrNeedsPerson, h.MFASerial)
	}
	provider := stscreds.NewAssumeRoleProvider(p.f.stsClient(credentials.StaticCredentialsProvider{Value: src}), h.RoleARN,
		func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = h.RoleSessionName
			if o.RoleSessionName == "" {
				o.RoleSessionName = "hop-" + strconv.FormatInt(p.f.now().Unix(), 10)
			}
			if h.ExternalID != "" {
				o.ExternalID = aws.String(h.ExternalID)
			}
			// The SDK would ask for 15 minutes; the CLI leaves the choice
			// to STS, whose default is an hour.
			o.Duration = time.Hour
			if h.Duration > 0 {
				o.Duration = h.Duration
			}
			if h.MFASerial != "" && !h.MFAInSession {
				o.SerialNumber = aws.String(h.MFASerial)
				o.TokenProvider = p.f.mfaCode(h, h.MFASerial)
			}
		})
	creds, err := provider.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, p.explain(err, src)
	}
	return creds, nil
}

// explain turns an STS failure into a sentence naming the role, the
// identity that tried, and what to do.
func (p *roleProvider) explain(err error, src aws.Credentials) error {
	h := p.hop
	var api smithy.APIError
	if errors.As(err, &api) {
		switch {
		case api.ErrorCode() == "AccessDenied":
			return fmt.Errorf("profile %s: not allowed to assume %s with the credentials of %s (%s): %s; check the role's trust policy and the source's permission to call sts:AssumeRole",
				h.Profile, h.RoleARN, p.sourceName(), redactKey(src.AccessKeyID), serverMessage(err, api))
		case api.ErrorCode() == "ValidationError" && strings.Contains(api.ErrorMessage(), "DurationSeconds"):
			return fmt.Errorf("profile %s: STS refused duration_seconds = %d for %s: %s; when the source is itself a role session STS allows at most 3600",
				h.Profile, int(h.Duration.Seconds()), h.RoleARN, serverMessage(err, api))
		}
	}
	return fmt.Errorf("profile %s: assuming %s: %w", h.Profile, h.RoleARN, p.f.brief(err))
}

// sourceName names the profile whose credentials assumed the role, and
// the identity they are where the chain says: STS's own account of who
// tried is not quoted when the request carried a session token.
func (p *roleProvider) sourceName() string {
	for i := range p.f.chain.Hops {
		if &p.f.chain.Hops[i] == p.hop && i > 0 {
			src := &p.f.chain.Hops[i-1]
			switch src.Kind {
			case creds.KindRole, creds.KindWebIdentity:
				return fmt.Sprintf("profile %s, a session of %s", src.Profile, src.RoleARN)
			case creds.KindSSO:
				return fmt.Sprintf("profile %s, Identity Center role %s in account %s", src.Profile, src.SSO.RoleName, src.SSO.AccountID)
			}
			return "profile " + src.Profile
		}
	}
	return "its source"
}

// redactKey keeps an access key ID recognisable without printing it whole.
func redactKey(id string) string {
	if len(id) <= 8 {
		return "key ****"
	}
	return "key " + id[:4] + "…" + id[len(id)-4:]
}

// mfaToken uses --mfa-token once, then asks for serial's code on h's
// behalf. Whatever the source, only a well-formed code goes to STS.
func (f *Fetcher) mfaToken(h *creds.Hop, serial string) func() (string, error) {
	return func() (string, error) {
		code := f.opts.MFAToken
		f.opts.MFAToken = ""
		if code == "" {
			if f.opts.MFAPrompt == nil {
				return "", fmt.Errorf("profile %s: role %s needs an MFA code from %s and hop cannot ask for one here; pass --mfa-token, or run hop from a terminal", h.Profile, h.RoleARN, serial)
			}
			var err error
			// The prompt names the profile too: one device serves many.
			if code, err = f.opts.MFAPrompt(h.Profile, serial); err != nil {
				return "", err
			}
		}
		if err := CheckMFACode(code); err != nil {
			return "", fmt.Errorf("profile %s: %w", h.Profile, err)
		}
		return code, nil
	}
}

// CheckMFACode refuses anything but the six digits an authenticator shows,
// which is all STS accepts.
func CheckMFACode(code string) error {
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return errors.New("an MFA code is the six digits your authenticator shows")
	}
	return nil
}

// webIdentityProvider exchanges a token file for role credentials.
type webIdentityProvider struct {
	f   *Fetcher
	hop *creds.Hop
}

func (p *webIdentityProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	h := p.hop
	provider := stscreds.NewWebIdentityRoleProvider(p.f.stsClient(aws.AnonymousCredentials{}), h.RoleARN,
		tokenFile(h.WebIdentityTokenFile), func(o *stscreds.WebIdentityRoleOptions) {
			o.RoleSessionName = h.RoleSessionName
			if o.RoleSessionName == "" {
				o.RoleSessionName = "hop-" + strconv.FormatInt(p.f.now().Unix(), 10)
			}
		})
	creds, err := provider.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("profile %s: assuming %s with the web identity token in %s: %w", h.Profile, h.RoleARN, h.WebIdentityTokenFile, p.f.brief(err))
	}
	return creds, nil
}

// maxTokenFile bounds a token file hop reads: a web identity or container
// authorization token is a few kilobytes.
const maxTokenFile = 1 << 20

// tokenFile reads a web identity token as stscreds.IdentityTokenFile
// does, but bounded, and failing at once on a FIFO.
type tokenFile string

func (f tokenFile) GetIdentityToken() ([]byte, error) {
	return store.ReadRegularFile(string(f), maxTokenFile)
}

// sourceProvider serves the source kinds hop does not cache: they are
// local already, or their owner caches them.
func (f *Fetcher) sourceProvider(h *creds.Hop) aws.CredentialsProvider {
	p, _ := f.chain.Config.Profile(h.Profile)
	switch h.Kind {
	case creds.KindStatic:
		return credentials.NewStaticCredentialsProvider(p.Get("aws_access_key_id"), p.Get("aws_secret_access_key"), p.Get("aws_session_token"))
	case creds.KindProcess:
		return &processProvider{f: f, hop: h}
	case creds.KindEnvironment:
		return wrapped{h, "reading credentials from the environment", aws.CredentialsProviderFunc(f.environmentCredentials)}
	case creds.KindEC2:
		return wrapped{h, "getting credentials from the EC2 instance metadata service", ec2rolecreds.New(func(o *ec2rolecreds.Options) {
			// imds.New alone ignores the endpoint variables the CLI honours.
			o.Client = imds.New(imds.Options{HTTPClient: f.opts.HTTPClient, Endpoint: f.opts.Getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT")})
		})}
	case creds.KindECS:
		return wrapped{h, "getting credentials from the container endpoint", aws.CredentialsProviderFunc(f.containerCredentials)}
	}
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, fmt.Errorf("profile %s: unsupported credential source %q", h.Profile, h.Kind)
	})
}

// wrapped names the profile and the step in a source's errors.
type wrapped struct {
	hop   *creds.Hop
	what  string
	inner aws.CredentialsProvider
}

func (w wrapped) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c, err := w.inner.Retrieve(ctx)
	if err != nil {
		return c, fmt.Errorf("profile %s: %s: %w", w.hop.Profile, w.what, err)
	}
	return c, nil
}

func (f *Fetcher) environmentCredentials(context.Context) (aws.Credentials, error) {
	id, secret := f.opts.Getenv("AWS_ACCESS_KEY_ID"), f.opts.Getenv("AWS_SECRET_ACCESS_KEY")
	if id == "" || secret == "" {
		return aws.Credentials{}, errors.New("credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set")
	}
	c := aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: f.opts.Getenv("AWS_SESSION_TOKEN"), Source: "hop-environment"}
	if exp, err := time.Parse(time.RFC3339, f.opts.Getenv("AWS_CREDENTIAL_EXPIRATION")); err == nil {
		c.CanExpire, c.Expires = true, exp
	}
	return c, nil
}

// containerCredentials follows the ECS/EKS container credential variables.
func (f *Fetcher) containerCredentials(ctx context.Context) (aws.Credentials, error) {
	url := f.opts.Getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI")
	if rel := f.opts.Getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); rel != "" {
		url = "http://169.254.170.2" + rel
	}
	if url == "" {
		return aws.Credentials{}, errors.New("credential_source = EcsContainer, but neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set")
	}
	token := f.opts.Getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN")
	if file := f.opts.Getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); file != "" {
		data, err := store.ReadRegularFile(file, maxTokenFile)
		if err != nil {
			return aws.Credentials{}, fmt.Errorf("reading AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %w", err)
		}
		token = strings.TrimSpace(string(data))
	}
	c, err := endpointcreds.New(url, func(o *endpointcreds.Options) {
		o.HTTPClient = f.opts.HTTPClient
		o.AuthorizationToken = token
		o.APIOptions = f.apiOptions()
	}).Retrieve(ctx)
	if err != nil {
		return c, f.brief(err)
	}
	return c, nil
}

// checked refuses what a hop's source hands out unless it passes
// creds.Credentials.Check: a value with a NUL or another control in it
// would be cut or rewritten on its way into a shell's assignments or a
// child's environment, and could end a quote there.
type checked struct {
	hop   *creds.Hop
	inner aws.CredentialsProvider
}

func (c checked) Retrieve(ctx context.Context) (aws.Credentials, error) {
	got, err := c.inner.Retrieve(ctx)
	if err != nil {
		return got, err
	}
	cr := creds.Credentials{AccessKeyID: got.AccessKeyID, SecretAccessKey: got.SecretAccessKey, SessionToken: got.SessionToken}
	if got.CanExpire {
		cr.Expires = got.Expires
	}
	if err := cr.Check(); err != nil {
		return aws.Credentials{}, fmt.Errorf("profile %s: %s handed out credentials hop will not use: %w; AWS credentials are printable text, so what serves these is broken or hostile",
			c.hop.Profile, sourceOf(c.hop), err)
	}
	return got, nil
}

// sourceOf names where a hop's credentials come from, for errors.
func sourceOf(h *creds.Hop) string {
	switch h.Kind {
	case creds.KindSSO:
		return fmt.Sprintf("Identity Center's GetRoleCredentials (role %s in account %s)", h.SSO.RoleName, h.SSO.AccountID)
	case creds.KindRole:
		return "STS AssumeRole for " + h.RoleARN
	case creds.KindWebIdentity:
		return "STS AssumeRoleWithWebIdentity for " + h.RoleARN
	case creds.KindStored:
		if h.Session != nil {
			return "STS GetSessionToken with the stored key"
		}
		return "hop's keyring"
	case creds.KindStatic:
		return "the keys in " + h.StaticFile
	case creds.KindProcess:
		// The first word only, as the helper's other errors name it: the
		// rest of the line may carry arguments nobody should see.
		if args, err := shellwords.Shlex.Split(h.Process); err == nil && len(args) > 0 {
			return fmt.Sprintf("credential_process %q", args[0])
		}
		return "credential_process"
	case creds.KindEnvironment:
		return "the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)"
	case creds.KindEC2:
		return "the EC2 instance metadata service"
	case creds.KindECS:
		return "the container credential endpoint"
	case creds.KindLogin:
		return "the aws login session " + h.LoginSession
	}
	return string(h.Kind)
}
