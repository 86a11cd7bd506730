package creds

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
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
	Config *Config
	// sso holds the settings of the chain's SSO hop, if it has one.
	sso SSOSettings
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

	SSO                  *SSOSettings
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

// SSOSettings are the Identity Center settings of an SSO hop.
type SSOSettings struct {
	// Session is the sso-session name; empty for the legacy form.
	Session   string
	StartURL  string
	Region    string
	Scopes    []string
	AccountID string
	RoleName  string
	// label names the source in a chain's parts, when made in advance.
	label string
}

// Error is a configuration problem, found before any network call.
type Error struct {
	Profile string
	File    string
	Key     string
	Msg     string
	// Hint says what to do about it.
	Hint string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Profile != "" {
		fmt.Fprintf(&b, "profile %s: ", e.Profile)
	}
	b.WriteString(e.Msg)
	if e.File != "" {
		fmt.Fprintf(&b, " in %s", e.File)
	}
	if e.Hint != "" {
		b.WriteString("; " + e.Hint)
	}
	return b.String()
}

// MissingConfigHint is what to do when there is no config file.
const MissingConfigHint = "the file does not exist: create it with 'aws configure sso' (or write an [sso-session] section and run 'hop sso sync'), or point AWS_CONFIG_FILE at yours"

// Resolve turns a profile name into a Chain, applying the AWS CLI's rules.
// It reads nothing but cfg.
func Resolve(cfg *Config, profile string) (*Chain, error) {
	p, ok := cfg.Profile(profile)
	if !ok {
		hint := cfg.NotFoundHint(profile, "run 'hop list' to see the profiles")
		if cfg.ConfigFileMissing() {
			hint = MissingConfigHint
		}
		return nil, &Error{Hint: hint, Msg: fmt.Sprintf("profile %q not found", profile), File: cfg.ConfigPath}
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
func (c *Chain) Resolve(cfg *Config, p *Profile) error {
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
			return &Error{Profile: h.Profile, File: cfg.FileOf(p, "duration_seconds"), Key: "duration_seconds",
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
func (c *Chain) walk(p *Profile, visited []string, top bool) error {
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

func (c *Chain) walkRole(p *Profile, visited []string) error {
	cfg := c.Config
	hop, err := roleHop(cfg, p)
	if err != nil {
		return err
	}
	c.Hops = append(c.Hops, hop)

	src, credSource := p.Get("source_profile"), p.Get("credential_source")
	switch {
	case src != "" && credSource != "":
		return &Error{Profile: p.Name, File: cfg.FileOf(p, "credential_source"), Key: "credential_source",
			Msg: "sets both source_profile and credential_source", Hint: "keep only one"}
	case credSource != "":
		kind, ok := map[string]Kind{"Environment": KindEnvironment, "Ec2InstanceMetadata": KindEC2, "EcsContainer": KindECS}[credSource]
		if !ok {
			return &Error{Profile: p.Name, File: cfg.FileOf(p, "credential_source"), Key: "credential_source",
				Hint: "use Environment, Ec2InstanceMetadata or EcsContainer", Msg: fmt.Sprintf("credential_source = %q is not supported", credSource)}
		}
		c.Hops = append(c.Hops, Hop{Profile: p.Name, Kind: kind})
		return nil
	case src == "":
		return &Error{Profile: p.Name, File: cfg.FileOf(p, "role_arn"), Key: "role_arn",
			Msg: "sets role_arn but neither source_profile nor credential_source", Hint: "add one so hop knows which credentials assume the role"}
	}

	srcProfile, ok := cfg.Profile(src)
	if !ok {
		hint := fmt.Sprintf("fix the name or add a [profile %s] section", src)
		if strings.ContainsAny(src, "\n\r") {
			// A value continued on the next lines: no header can hold it.
			hint = "fix the name: its value continues on an indented line below it"
		}
		return &Error{Profile: p.Name, File: cfg.FileOf(p, "source_profile"), Key: "source_profile",
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
		return &Error{Profile: visited[0], File: cfg.FileOf(p, "source_profile"), Key: "source_profile",
			Msg:  fmt.Sprintf("source_profile loop: %s -> %s", strings.Join(visited, " -> "), src),
			Hint: "end the chain at a profile with its own credentials (SSO, keys or a process)"}
	}
	if len(visited) >= maxChainProfiles {
		return &Error{Profile: visited[0], File: cfg.FileOf(p, "source_profile"), Key: "source_profile",
			Msg:  fmt.Sprintf("the source_profile chain is longer than %d profiles", maxChainProfiles),
			Hint: "end it sooner, at a profile with its own credentials: each profile on it is an AssumeRole call"}
	}
	return c.walk(srcProfile, visited, false)
}

// maxChainProfiles bounds a chain. Real ones are a few profiles long, and
// each step checks the steps before it for a loop: a 257 KB config of
// one 3,000-profile chain made `hop list` take 14 s and 530 MB.
const maxChainProfiles = 32

func roleHop(cfg *Config, p *Profile) (Hop, error) {
	h := Hop{
		Profile:         p.Name,
		Kind:            KindRole,
		RoleARN:         p.Get("role_arn"),
		RoleSessionName: p.Get("role_session_name"),
		ExternalID:      p.Get("external_id"),
		MFASerial:       p.Get("mfa_serial"),
	}
	if !strings.HasPrefix(h.RoleARN, "arn:") || strings.Count(h.RoleARN, ":") < 5 {
		return h, &Error{Profile: p.Name, File: cfg.FileOf(p, "role_arn"), Key: "role_arn",
			Msg: fmt.Sprintf("role_arn %q is not a role ARN (expected arn:aws:iam::ACCOUNT:role/NAME)", h.RoleARN)}
	}
	if d := p.Get("duration_seconds"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 900 || n > 43200 {
			return h, &Error{Profile: p.Name, File: cfg.FileOf(p, "duration_seconds"), Key: "duration_seconds",
				Msg: fmt.Sprintf("duration_seconds = %q must be a whole number of seconds from 900 to 43200", d)}
		}
		h.Duration = time.Duration(n) * time.Second
	}
	return h, nil
}

// sourceHop picks where a non-role profile's credentials come from, in the
// CLI's order: web identity, SSO, static keys, credential_process, with an
// `aws login` session after SSO.
func (c *Chain) sourceHop(p *Profile) (Hop, error) {
	cfg := c.Config
	switch {
	case p.Get("web_identity_token_file") != "":
		h := Hop{Profile: p.Name, Kind: KindWebIdentity, RoleARN: p.Get("role_arn"),
			RoleSessionName: p.Get("role_session_name"), WebIdentityTokenFile: p.Get("web_identity_token_file")}
		if h.RoleARN == "" {
			return h, &Error{Profile: p.Name, File: cfg.FileOf(p, "web_identity_token_file"), Key: "role_arn",
				Msg: "sets web_identity_token_file but no role_arn", Hint: "add the role to assume"}
		}
		return h, nil
	case p.Get("sso_session") != "" || p.Get("sso_start_url") != "" || p.Get("sso_account_id") != "":
		// A chain has one source, so one SSO hop at most: its settings
		// live in the chain.
		c.sso = SSOSettings{}
		err := ssoSettings(cfg, p, &c.sso)
		return Hop{Profile: p.Name, Kind: KindSSO, SSO: &c.sso}, err
	case p.Get("login_session") != "":
		h := Hop{Profile: p.Name, Kind: KindLogin, LoginSession: p.Get("login_session")}
		if !strings.HasPrefix(h.LoginSession, "arn:") || strings.Count(h.LoginSession, ":") < 5 {
			return h, &Error{Profile: p.Name, File: cfg.FileOf(p, "login_session"), Key: "login_session",
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
			return Hop{}, &Error{Profile: p.Name, File: cfg.FileOf(p, "aws_access_key_id"), Key: "aws_secret_access_key",
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

// ssoSettings reads an SSO profile's settings into s.
func ssoSettings(cfg *Config, p *Profile, s *SSOSettings) error {
	missing := func(key, where string) error {
		return &Error{Profile: p.Name, File: cfg.FileOf(p, "sso_account_id"), Key: key,
			Hint: "run 'aws configure sso' or add it", Msg: fmt.Sprintf("SSO profile is missing %s%s", key, where)}
	}
	if name := p.Get("sso_session"); name != "" {
		if err := cfg.sessionSettingsInto(name, s); err != nil {
			var e *Error
			if errors.As(err, &e) {
				e.Profile, e.File = p.Name, cfg.FileOf(p, "sso_session")
			}
			return err
		}
		for _, key := range []string{"sso_start_url", "sso_region"} {
			sess, _ := cfg.SSOSession(name)
			if v := p.Get(key); v != "" && v != sess.Get(key) {
				return &Error{Profile: p.Name, File: cfg.FileOf(p, key), Key: key,
					Hint: "remove it from the profile", Msg: fmt.Sprintf("%s %q differs from the one in [sso-session %s]", key, v, name)}
			}
		}
	} else {
		*s = SSOSettings{StartURL: p.Get("sso_start_url"), Region: p.Get("sso_region"), Scopes: []string{"sso:account:access"}}
		if s.StartURL == "" {
			return missing("sso_start_url", " (or sso_session)")
		}
		if s.Region == "" {
			return missing("sso_region", "")
		}
	}
	s.AccountID, s.RoleName = p.Get("sso_account_id"), p.Get("sso_role_name")
	if s.AccountID == "" {
		return missing("sso_account_id", "")
	}
	if s.RoleName == "" {
		return missing("sso_role_name", "")
	}
	return nil
}

// SessionSettings reads an [sso-session NAME] section, for signing in
// without a profile.
func (c *Config) SessionSettings(name string) (*SSOSettings, error) {
	s := new(SSOSettings)
	if err := c.sessionSettingsInto(name, s); err != nil {
		return nil, err
	}
	return s, nil
}

// sessionSettingsInto is SessionSettings into s. The section is read
// once per name: `hop list` asks again for each SSO profile.
func (c *Config) sessionSettingsInto(name string, s *SSOSettings) error {
	c.sessionMu.Lock()
	r, ok := c.sessionSettings[name]
	if !ok {
		r.s, r.err = c.readSessionSettings(name)
		if c.sessionSettings == nil {
			c.sessionSettings = map[string]sessionSettings{}
		}
		c.sessionSettings[name] = r
	}
	c.sessionMu.Unlock()
	if r.err != nil {
		// A copy, for the caller to name its profile in.
		e := *r.err
		return &e
	}
	*s = *r.s
	return nil
}

// sessionSettings is what reading an sso-session found.
type sessionSettings struct {
	s   *SSOSettings
	err *Error
}

func (c *Config) readSessionSettings(name string) (*SSOSettings, *Error) {
	sess, ok := c.SSOSession(name)
	if !ok {
		return nil, &Error{File: c.ConfigPath, Key: "sso_session",
			Msg: fmt.Sprintf("sso_session %q has no [sso-session %s] section", name, name), Hint: "run 'aws configure sso-session' or fix the name"}
	}
	s := &SSOSettings{Session: name, StartURL: sess.Get("sso_start_url"), Region: sess.Get("sso_region"), label: "sso:" + name}
	for _, sc := range strings.Split(sess.Get("sso_registration_scopes"), ",") {
		if sc = strings.TrimSpace(sc); sc != "" {
			s.Scopes = append(s.Scopes, sc)
		}
	}
	if len(s.Scopes) == 0 {
		s.Scopes = []string{"sso:account:access"}
	}
	for _, key := range []string{"sso_start_url", "sso_region"} {
		if sess.Get(key) == "" {
			return nil, &Error{File: c.ConfigPath, Key: key, Msg: fmt.Sprintf("[sso-session %s] is missing %s", name, key), Hint: "add it"}
		}
	}
	return s, nil
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
		if h.SSO.label != "" {
			return h.SSO.label
		}
		if h.SSO.Session != "" {
			return "sso:" + h.SSO.Session
		}
		return "sso:" + h.SSO.StartURL
	case KindStatic:
		return "static"
	case KindStored:
		return "keyring"
	case KindLogin:
		return "aws-login"
	}
	return string(h.Kind)
}
