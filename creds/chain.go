package creds

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hop-cli/hop/creds/config"
)

// Kind is where a hop's credentials come from.
type Kind string

const (
	KindSSO         Kind = "sso"
	KindStatic      Kind = "static"
	KindProcess     Kind = "process"
	KindWebIdentity Kind = "web-identity"
	KindEnvironment Kind = "environment"
	KindEC2         Kind = "ec2-metadata"
	KindECS         Kind = "ecs-container"
	KindRole        Kind = "role"
	// KindStored is a long-term IAM user key that hop keeps in its keyring
	// (hop add): the source of a profile that sets no other.
	KindStored Kind = "stored-key"
	// KindLogin is an `aws login` session (login_session), cached by the
	// AWS CLI in ~/.aws/login/cache and renewed with its refresh token.
	KindLogin Kind = "login"
)

// chainedRoleLimit is the longest session STS grants to a role assumed with
// another role's credentials.
const chainedRoleLimit = time.Hour

// Chain is a resolved profile: the ordered hops from the source of
// credentials (Hops[0]) to the profile the user named (the last hop). It is a
// plain value, built without any network access.
type Chain struct {
	Profile string
	Hops    []Hop
	// Region is the region for the child, from the profile, the nearest
	// source profile that sets one, or [default]. The caller layers flags
	// and environment on top.
	Region string
	// Config is what the chain was resolved from.
	Config *config.Config
	// sso holds the settings of the chain's SSO hop, if it has one.
	sso config.SSOSettings
}

// Target is the hop whose credentials the user asked for.
func (c *Chain) Target() *Hop { return &c.Hops[len(c.Hops)-1] }

// Hop is one step of a chain.
type Hop struct {
	Profile string
	Kind    Kind

	// Role settings (KindRole and KindWebIdentity).
	RoleARN         string
	RoleSessionName string
	ExternalID      string
	MFASerial       string
	Duration        time.Duration

	SSO                  *config.SSOSettings
	Process              string
	WebIdentityTokenFile string
	// StaticFile names the file holding static keys.
	StaticFile string
	// LoginSession is a KindLogin hop's login_session: the ARN of the
	// identity `aws login` signed in as. Left out of session keys when
	// empty, so adding it changed no other hop's key.
	LoginSession string `json:",omitempty"`

	// Session is the GetSessionToken call a stored key's hop makes before
	// anything else; nil when the key is used as it is.
	Session *SessionToken
	// MFAInSession marks a role whose mfa_serial its source session was
	// made with: AssumeRole carries no MFA code, the session stands for it.
	MFAInSession bool
}

// Chained reports whether a role hop assumes its role with credentials
// that are themselves a role session, which STS limits to one hour.
func (c *Chain) chained(i int) bool {
	if i == 0 || c.Hops[i].Kind != KindRole {
		return false
	}
	switch c.Hops[i-1].Kind {
	case KindSSO, KindRole, KindWebIdentity, KindEC2, KindECS:
		return true
	case KindStored:
		return c.Hops[i-1].Session != nil
	}
	return false
}

// AccountID is the account the target credentials belong to, when the
// configuration says (role ARN or SSO account); "" otherwise.
func (h *Hop) AccountID() string {
	if h.SSO != nil {
		return h.SSO.AccountID
	}
	arn := h.RoleARN
	if h.Kind == KindLogin {
		arn = h.LoginSession
	}
	// The fifth of an ARN's colon-separated fields, found without
	// splitting it: list asks this of every profile.
	rest, ok := arn, true
	for range 4 {
		if _, rest, ok = strings.Cut(rest, ":"); !ok {
			return ""
		}
	}
	if account, _, ok := strings.Cut(rest, ":"); ok {
		return account
	}
	return ""
}

// MissingConfigHint is what to do when there is no config file.
const MissingConfigHint = "the file does not exist: create it with 'aws configure sso' (or write an [sso-session] section and run 'hop sso sync'), or point AWS_CONFIG_FILE at yours"

// Resolve turns a profile name into a Chain, applying the AWS CLI's rules.
// It reads nothing but cfg.
func Resolve(cfg *config.Config, profile string) (*Chain, error) {
	p, ok := cfg.Profile(profile)
	if !ok {
		hint := cfg.NotFoundHint(profile, "run 'hop list' to see the profiles")
		if cfg.ConfigFileMissing() {
			hint = MissingConfigHint
		}
		return nil, &config.Error{Hint: hint, Msg: fmt.Sprintf("profile %q not found", profile), File: cfg.ConfigPath}
	}
	c := new(Chain)
	if err := c.Resolve(cfg, p); err != nil {
		return nil, err
	}
	return c, nil
}

// Resolve is Resolve of one of cfg's profiles into c, reusing c's memory:
// `hop list` resolves every profile into one Chain, and pays for memory
// a chain at a time, not a profile at a time. It replaces all c held;
// after an error c holds nothing of use.
func (c *Chain) Resolve(cfg *config.Config, p *config.Profile) error {
	*c = Chain{Profile: p.Name, Config: cfg, Hops: c.Hops[:0]}
	// Most chains are a few hops: their names fit here, not on the heap.
	var visited [4]string
	if err := c.walk(p, visited[:0], true); err != nil {
		return err
	}
	// walk appends from the target down to the source.
	for i, j := 0, len(c.Hops)-1; i < j; i, j = i+1, j-1 {
		c.Hops[i], c.Hops[j] = c.Hops[j], c.Hops[i]
	}
	if err := c.sessionFirst(); err != nil {
		return err
	}
	for i := range c.Hops {
		h := &c.Hops[i]
		if c.chained(i) && h.Duration > chainedRoleLimit {
			p, _ := cfg.Profile(h.Profile)
			return &config.Error{Profile: h.Profile, File: cfg.FileOf(p, "duration_seconds"), Key: "duration_seconds",
				Hint: "set duration_seconds to 3600 or less", Msg: fmt.Sprintf("duration_seconds = %d asks for more than the 1 hour STS allows when a role is assumed with another role's credentials (its source %s is a %s session)",
					int(h.Duration.Seconds()), c.Hops[i-1].Profile, c.Hops[i-1].Kind)}
		}
	}
	if c.Region == "" {
		if d, ok := cfg.Profile("default"); ok {
			c.Region = d.Get("region")
		}
	}
	return nil
}

// walk resolves p and appends its hops, target first. top is true for
// the profile the user named: only there does role_arn take precedence over
// static keys, as in the CLI. The chain's region is the first profile's
// on the way that sets one.
func (c *Chain) walk(p *config.Profile, visited []string, top bool) error {
	visited = append(visited, p.Name)
	if c.Region == "" {
		c.Region = p.Get("region")
	}

	hasStatic := p.Get("aws_access_key_id") != ""
	hasRole := p.Get("role_arn") != ""
	hasWebIdentity := p.Get("web_identity_token_file") != ""

	// A source profile with static keys supplies them even if it also sets
	// role_arn: that is how a profile can be its own source_profile.
	if hasRole && !hasWebIdentity && (top || !hasStatic) {
		return c.walkRole(p, visited)
	}
	hop, err := c.sourceHop(p)
	if err != nil {
		return err
	}
	c.Hops = append(c.Hops, hop)
	return nil
}

func (c *Chain) walkRole(p *config.Profile, visited []string) error {
	cfg := c.Config
	hop, err := roleHop(cfg, p)
	if err != nil {
		return err
	}
	c.Hops = append(c.Hops, hop)

	src, credSource := p.Get("source_profile"), p.Get("credential_source")
	switch {
	case src != "" && credSource != "":
		return &config.Error{Profile: p.Name, File: cfg.FileOf(p, "credential_source"), Key: "credential_source",
			Msg: "sets both source_profile and credential_source", Hint: "keep only one"}
	case credSource != "":
		kind, ok := map[string]Kind{"Environment": KindEnvironment, "Ec2InstanceMetadata": KindEC2, "EcsContainer": KindECS}[credSource]
		if !ok {
			return &config.Error{Profile: p.Name, File: cfg.FileOf(p, "credential_source"), Key: "credential_source",
				Hint: "use Environment, Ec2InstanceMetadata or EcsContainer", Msg: fmt.Sprintf("credential_source = %q is not supported", credSource)}
		}
		c.Hops = append(c.Hops, Hop{Profile: p.Name, Kind: kind})
		return nil
	case src == "":
		return &config.Error{Profile: p.Name, File: cfg.FileOf(p, "role_arn"), Key: "role_arn",
			Msg: "sets role_arn but neither source_profile nor credential_source", Hint: "add one so hop knows which credentials assume the role"}
	}

	srcProfile, ok := cfg.Profile(src)
	if !ok {
		hint := fmt.Sprintf("fix the name or add a [profile %s] section", src)
		if strings.ContainsAny(src, "\n\r") {
			// A value continued on the next lines: no header can hold it.
			hint = "fix the name: its value continues on an indented line below it"
		}
		return &config.Error{Profile: p.Name, File: cfg.FileOf(p, "source_profile"), Key: "source_profile",
			Msg: fmt.Sprintf("source_profile %q not found", src), Hint: cfg.NotFoundHint(src, hint)}
	}
	for _, v := range visited {
		if v != src {
			continue
		}
		// A profile may name itself to take its own static keys.
		if src == p.Name && srcProfile.Get("aws_access_key_id") != "" {
			break
		}
		return &config.Error{Profile: visited[0], File: cfg.FileOf(p, "source_profile"), Key: "source_profile",
			Msg:  fmt.Sprintf("source_profile loop: %s -> %s", strings.Join(visited, " -> "), src),
			Hint: "end the chain at a profile with its own credentials (SSO, keys or a process)"}
	}
	if len(visited) >= maxChainProfiles {
		return &config.Error{Profile: visited[0], File: cfg.FileOf(p, "source_profile"), Key: "source_profile",
			Msg:  fmt.Sprintf("the source_profile chain is longer than %d profiles", maxChainProfiles),
			Hint: "end it sooner, at a profile with its own credentials: each profile on it is an AssumeRole call"}
	}
	return c.walk(srcProfile, visited, false)
}

// maxChainProfiles bounds a chain. Real ones are a few profiles long, and
// each step checks the steps before it for a loop, so a chain's cost
// grows with the square of its length: one chain of a few thousand
// profiles took `hop list` seconds and the memory with it (README,
// Performance).
const maxChainProfiles = 32

func roleHop(cfg *config.Config, p *config.Profile) (Hop, error) {
	h := Hop{
		Profile:         p.Name,
		Kind:            KindRole,
		RoleARN:         p.Get("role_arn"),
		RoleSessionName: p.Get("role_session_name"),
		ExternalID:      p.Get("external_id"),
		MFASerial:       p.Get("mfa_serial"),
	}
	if !strings.HasPrefix(h.RoleARN, "arn:") || strings.Count(h.RoleARN, ":") < 5 {
		return h, &config.Error{Profile: p.Name, File: cfg.FileOf(p, "role_arn"), Key: "role_arn",
			Msg: fmt.Sprintf("role_arn %q is not a role ARN (expected arn:aws:iam::ACCOUNT:role/NAME)", h.RoleARN)}
	}
	if d := p.Get("duration_seconds"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 900 || n > 43200 {
			return h, &config.Error{Profile: p.Name, File: cfg.FileOf(p, "duration_seconds"), Key: "duration_seconds",
				Msg: fmt.Sprintf("duration_seconds = %q must be a whole number of seconds from 900 to 43200", d)}
		}
		h.Duration = time.Duration(n) * time.Second
	}
	return h, nil
}

// sourceHop picks where a non-role profile's credentials come from, in the
// CLI's order: web identity, SSO, static keys, credential_process, with an
// `aws login` session after SSO.
func (c *Chain) sourceHop(p *config.Profile) (Hop, error) {
	cfg := c.Config
	switch {
	case p.Get("web_identity_token_file") != "":
		h := Hop{Profile: p.Name, Kind: KindWebIdentity, RoleARN: p.Get("role_arn"),
			RoleSessionName: p.Get("role_session_name"), WebIdentityTokenFile: p.Get("web_identity_token_file")}
		if h.RoleARN == "" {
			return h, &config.Error{Profile: p.Name, File: cfg.FileOf(p, "web_identity_token_file"), Key: "role_arn",
				Msg: "sets web_identity_token_file but no role_arn", Hint: "add the role to assume"}
		}
		return h, nil
	case p.Get("sso_session") != "" || p.Get("sso_start_url") != "" || p.Get("sso_account_id") != "":
		// A chain has one source, so one SSO hop at most: its settings
		// live in the chain.
		c.sso = config.SSOSettings{}
		err := cfg.ProfileSSO(p, &c.sso)
		return Hop{Profile: p.Name, Kind: KindSSO, SSO: &c.sso}, err
	case p.Get("login_session") != "":
		h := Hop{Profile: p.Name, Kind: KindLogin, LoginSession: p.Get("login_session")}
		if !strings.HasPrefix(h.LoginSession, "arn:") || strings.Count(h.LoginSession, ":") < 5 {
			return h, &config.Error{Profile: p.Name, File: cfg.FileOf(p, "login_session"), Key: "login_session",
				Msg:  fmt.Sprintf("login_session %q is not an ARN (expected arn:aws:iam::ACCOUNT:user/NAME)", h.LoginSession),
				Hint: fmt.Sprintf("run 'aws login --profile %s', which writes it", p.Name)}
		}
		return h, nil
	case p.Get("aws_access_key_id") != "" && cfg.HasStoredKey != nil && cfg.HasStoredKey(p.Name):
		// The stored key shadows the plaintext one, as in aws-vault;
		// StaticFile names the file to delete it from.
		return Hop{Profile: p.Name, Kind: KindStored, StaticFile: cfg.FileOf(p, "aws_access_key_id")}, nil
	case p.Get("aws_access_key_id") != "":
		if p.Get("aws_secret_access_key") == "" {
			return Hop{}, &config.Error{Profile: p.Name, File: cfg.FileOf(p, "aws_access_key_id"), Key: "aws_secret_access_key",
				Msg: "has aws_access_key_id but no aws_secret_access_key", Hint: "add it"}
		}
		return Hop{Profile: p.Name, Kind: KindStatic, StaticFile: cfg.FileOf(p, "aws_access_key_id")}, nil
	case p.Get("credential_process") != "":
		return Hop{Profile: p.Name, Kind: KindProcess, Process: p.Get("credential_process")}, nil
	}
	// As in aws-vault, a profile with no source of its own takes its key
	// from the keyring; whether one is stored there is the fetcher's to
	// find out, so resolving stays free of I/O.
	return Hop{Profile: p.Name, Kind: KindStored}, nil
}

// String renders the chain as "requires3 <- example <- sso:corp".
func (c *Chain) String() string {
	return strings.Join(c.Parts(), " <- ")
}

// Parts are the chain's profiles, target first, then its source, as
// ["requires3", "example", "sso:corp"].
func (c *Chain) Parts() []string {
	return c.AppendParts(make([]string, 0, len(c.Hops)+1))
}

// AppendParts appends Parts to dst, for a caller listing many chains
// from one slice.
func (c *Chain) AppendParts(dst []string) []string {
	for i := len(c.Hops) - 1; i >= 0; i-- {
		h := c.Hops[i]
		if i == len(c.Hops)-1 || h.Profile != c.Hops[i+1].Profile {
			dst = append(dst, h.Profile)
		}
		if i == 0 {
			dst = append(dst, h.sourceLabel())
		}
	}
	return dst
}

func (h *Hop) sourceLabel() string {
	switch h.Kind {
	case KindSSO:
		return h.SSO.Label()
	case KindStatic:
		return "static"
	case KindStored:
		return "keyring"
	case KindLogin:
		return "aws-login"
	}
	return string(h.Kind)
}
