// Package exec builds a child's environment from a session and replaces hop
// with the child.
package exec

import (
	"strconv"
	"strings"
	"time"

	"github.com/hop-cli/hop/creds"
)

// Session is what the child is given: a creds.Session and the region
// chosen for the child.
type Session struct {
	Profile         string
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	// Expires is zero for credentials that do not expire (static keys).
	Expires   time.Time
	Region    string
	RoleARN   string
	AccountID string
}

// Var is one environment variable.
type Var struct{ Name, Value string }

// PassphraseVar is the file keyring's passphrase, as the user gives it to
// hop.
const PassphraseVar = "HOP_FILE_PASSPHRASE"

// passphraseFDVar names the pipe the front hands the passphrase to
// hop-core through (RunCore).
const passphraseFDVar = "HOP_PASSPHRASE_FD"

// dropped reports the variables removed from the inherited environment: a
// profile selection would override the credentials hop sets, and stale
// credentials of an outer session must not leak into this one.
// HOP_FILE_PASSPHRASE is hop's own secret and never reaches a child. (A
// switch rather than a map: a map literal is built at every start of the
// front.)
func dropped(name string) bool {
	switch name {
	case "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
		"AWS_CREDENTIAL_EXPIRATION", "AWS_SESSION_EXPIRATION",
		"AWS_REGION", "AWS_DEFAULT_REGION",
		PassphraseVar, passphraseFDVar,
		"HOP_PROFILE", "HOP_ROLE_ARN", "HOP_ACCOUNT_ID", "HOP_EXPIRES_AT", "HOP_REGION", "HOP_SERVER",
		// An outer aws-vault's or hop's profile name, for prompts.
		"AWS_VAULT",
		// An outer credential server's endpoint, or a container's: the
		// SDKs prefer the relative URI and the token file to what hop sets.
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE":
		return true
	}
	return false
}

// Vars are the variables a child of s is given, in order: what hop exec
// sets and hop export prints. The credentials come first, in the order
// `aws configure export-credentials` prints them.
func Vars(s Session) []Var {
	// Sized for all of them: one allocation.
	vars := make([]Var, 0, 14)
	vars = append(vars, Var{"AWS_ACCESS_KEY_ID", s.AccessKeyID}, Var{"AWS_SECRET_ACCESS_KEY", s.SecretAccessKey})
	if s.SessionToken != "" {
		vars = append(vars, Var{"AWS_SESSION_TOKEN", s.SessionToken})
	}
	if !s.Expires.IsZero() {
		expires := s.Expires.UTC().Format(time.RFC3339)
		// Prompt tools such as starship read the second name.
		vars = append(vars, Var{"AWS_CREDENTIAL_EXPIRATION", expires}, Var{"AWS_SESSION_EXPIRATION", expires})
	}
	return appendSessionVars(vars, s)
}

// Environ returns base without the dropped variables, followed by the
// session's. Everything else (PATH, AWS_ENDPOINT_URL*, ...) passes through.
func Environ(base []string, s Session) []string {
	return environ(base, Vars(s))
}

// ServerEnviron is Environ for a child whose credentials a credential
// server at uri hands out: no keys at all, inherited ones included, and no
// HOP_EXPIRES_AT, since the server renews them; HOP_SERVER=1 tells prompts.
func ServerEnviron(base []string, s Session, uri, token string) []string {
	s.Expires = time.Time{}
	vars := []Var{{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri}, {"AWS_CONTAINER_AUTHORIZATION_TOKEN", token}}
	vars = appendSessionVars(vars, s)
	return environ(base, append(vars, Var{"HOP_SERVER", "1"}))
}

// PromptVar names the profile for the prompts people already use: starship,
// powerlevel10k and oh-my-posh read the profile of a wrapper's session
// from it (they read AWS_PROFILE too, but that would have the AWS CLI and
// SDKs load the profile's config, and tools that prefer a named profile
// to the environment's keys, such as Terraform's, resolve its chain
// themselves). aws-vault refuses to start inside a session that sets it,
// as it does inside its own.
const PromptVar = "AWS_VAULT"

// appendSessionVars appends the region, the HOP_* variables, which
// describe the session for prompts and scripts, and the profile's name
// for prompts.
func appendSessionVars(vars []Var, s Session) []Var {
	if s.Region != "" {
		// HOP_REGION marks the region as hop's choice, so a nested hop
		// exec picks its own profile's region instead of inheriting it.
		vars = append(vars, Var{"AWS_REGION", s.Region}, Var{"AWS_DEFAULT_REGION", s.Region}, Var{"HOP_REGION", s.Region})
	}
	vars = append(vars, Var{"HOP_PROFILE", s.Profile}, Var{"HOP_ROLE_ARN", s.RoleARN}, Var{"HOP_ACCOUNT_ID", s.AccountID})
	if !s.Expires.IsZero() {
		vars = append(vars, Var{"HOP_EXPIRES_AT", strconv.FormatInt(s.Expires.Unix(), 10)})
	}
	if s.Profile != "" {
		vars = append(vars, Var{PromptVar, s.Profile})
	}
	return vars
}

func environ(base []string, vars []Var) []string {
	env := make([]string, 0, len(base)+len(vars))
	for _, kv := range base {
		name, _, _ := strings.Cut(kv, "=")
		if !dropped(name) {
			env = append(env, kv)
		}
	}
	// The session's NAME=value strings are cut from one buffer: a warm
	// exec starts with an empty heap, where each allocation of a new size
	// costs fresh pages.
	size := 0
	for _, v := range vars {
		size += len(v.Name) + 1 + len(v.Value)
	}
	var b strings.Builder
	b.Grow(size)
	for _, v := range vars {
		b.WriteString(v.Name)
		b.WriteByte('=')
		b.WriteString(v.Value)
	}
	all := b.String()
	for _, v := range vars {
		n := len(v.Name) + 1 + len(v.Value)
		env, all = append(env, all[:n]), all[n:]
	}
	return env
}

// ChildSession is s for the child. Its region is the first set of: the
// flag, a region the user set in the environment (not one an outer hop
// set), the chain's.
func ChildSession(s *creds.Session, chain *creds.Chain, flagRegion string, getenv func(string) string) Session {
	region := flagRegion
	if region == "" {
		for _, name := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
			if v := getenv(name); v != "" && v != getenv("HOP_REGION") {
				region = v
				break
			}
		}
	}
	if region == "" {
		region = chain.Region
	}
	c := s.Credentials
	return Session{
		Profile:         s.Profile,
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Expires:         c.Expires,
		Region:          region,
		RoleARN:         s.RoleARN,
		AccountID:       s.AccountID,
	}
}
