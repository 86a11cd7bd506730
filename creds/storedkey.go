package creds

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/store"
)

// Session lengths for a stored key's GetSessionToken, as aws-vault's: long
// when roles are assumed from the session (one MFA code for a working day),
// short when the session goes to the child itself.
const (
	SessionForRoles = 8 * time.Hour
	SessionForSelf  = time.Hour
	// sessionTokenLimit is the longest session STS grants an IAM user.
	sessionTokenLimit = 36 * time.Hour
)

// SessionToken is the GetSessionToken call made with a stored key.
type SessionToken struct {
	// MFASerial is presented with a code when set.
	MFASerial string
	Duration  time.Duration
}

// PreviousKeyPrefix names the key a rotation replaced, kept beside the new
// one until STS has accepted the new one: were hop to stop in between, the
// next rotate still holds a key that works.
const PreviousKeyPrefix = "hop-key-previous:"

// PreviousKeyItem names profile's previous key in the keyring.
func PreviousKeyItem(profile string) string { return PreviousKeyPrefix + profile }

// LongTermKey is a stored key: the item's payload.
type LongTermKey struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
}

// ParseLongTermKey reads a stored key's payload.
func ParseLongTermKey(data []byte) (LongTermKey, error) {
	var k LongTermKey
	if err := json.Unmarshal(data, &k); err != nil {
		return LongTermKey{}, fmt.Errorf("the stored key is damaged")
	}
	if err := (Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey}).Check(); err != nil {
		return LongTermKey{}, fmt.Errorf("the stored key is damaged: %w", err)
	}
	return k, nil
}

// CheckKey says what is wrong with a key someone typed or pasted, without
// repeating the secret.
func CheckKey(id, secret string) error {
	if err := CheckKeyID(id); err != nil {
		return err
	}
	if secret == "" {
		return fmt.Errorf("the secret access key is empty")
	}
	if strings.ContainsRune(secret, ' ') || unprintable(secret) >= 0 {
		return fmt.Errorf("the secret access key has a space or control character in it; paste just the secret")
	}
	return nil
}

// CheckKeyID says what is wrong with an access key ID: IAM's are 16 to
// 128 word characters. The ID is not repeated: what was typed may be the
// secret, pasted in the wrong place.
func CheckKeyID(id string) error {
	if n := len(id); n < 16 || n > 128 {
		return fmt.Errorf("the access key ID is %d characters; IAM's are 16 to 128 (usually 20, starting AKIA)", n)
	}
	for _, r := range id {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return fmt.Errorf("the access key ID has a character IAM never uses (%q); paste just the ID", r)
		}
	}
	return nil
}

// PeekStoredKeyID is the access key ID stored for profile, read the way
// the front reads sessions (Peek): no prompt, no keyring library.
func PeekStoredKeyID(profile string, getenv func(string) string) (string, bool) {
	data, ok := store.Peek(store.StoredKeyItem(profile), getenv)
	if !ok {
		return "", false
	}
	k, err := ParseLongTermKey(data)
	return k.AccessKeyID, err == nil
}

// RedactKeyID keeps an access key ID recognisable without printing it
// whole.
func RedactKeyID(id string) string {
	if len(id) <= 8 {
		return "****"
	}
	return id[:4] + "…" + id[len(id)-4:]
}

// sessionFirst puts a GetSessionToken session between a stored key and
// what comes after it, unless the role sourced from the key asks for more
// than STS lets a role assumed with a session have: that role is assumed
// with the key itself, and its own MFA code.
func (c *Chain) sessionFirst() error {
	root := &c.Hops[0]
	if root.Kind != KindStored {
		return nil
	}
	p, _ := c.Config.Profile(root.Profile)
	s := &SessionToken{MFASerial: p.Get("mfa_serial"), Duration: SessionForSelf}
	if len(c.Hops) > 1 {
		s.Duration = SessionForRoles
	}
	if d := p.Get("duration_seconds"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 900 || time.Duration(n)*time.Second > sessionTokenLimit {
			return &config.Error{Profile: p.Name, File: c.Config.FileOf(p, "duration_seconds"), Key: "duration_seconds",
				Msg: fmt.Sprintf("duration_seconds = %q must be a whole number of seconds from 900 to %d for a stored key's session", d, int(sessionTokenLimit.Seconds()))}
		}
		s.Duration = time.Duration(n) * time.Second
	}
	if len(c.Hops) > 1 {
		next := &c.Hops[1]
		if next.Duration > chainedRoleLimit {
			return nil
		}
		if s.MFASerial == "" {
			s.MFASerial = next.MFASerial
		}
		next.MFAInSession = next.MFASerial != "" && next.MFASerial == s.MFASerial
	}
	root.Session = s
	return nil
}

// WithoutSession is the chain --no-session runs: a stored key used as it
// is, for the child or to assume the first role (with that role's own MFA
// code).
func (c *Chain) WithoutSession() *Chain {
	if c.Hops[0].Kind != KindStored || c.Hops[0].Session == nil {
		return c
	}
	out := *c
	out.Hops = append([]Hop(nil), c.Hops...)
	out.Hops[0].Session = nil
	if len(out.Hops) > 1 {
		out.Hops[1].MFAInSession = false
	}
	return &out
}

// CheckSessionDuration refuses a --duration GetSessionToken would.
func CheckSessionDuration(d time.Duration) error {
	if d < 15*time.Minute || d > sessionTokenLimit {
		return fmt.Errorf("--duration %s: a session is 15m to 36h long", d)
	}
	return nil
}

// WithSessionDuration is the chain --duration runs: the stored key's
// session asks for d. The session's cache entry is the same whatever its
// length.
func (c *Chain) WithSessionDuration(d time.Duration) (*Chain, error) {
	if c.Hops[0].Kind != KindStored || c.Hops[0].Session == nil {
		return nil, fmt.Errorf("profile %s: --duration sets the length of a stored key's session, and its chain (%s) has none; a role's length is its duration_seconds", c.Profile, c)
	}
	if err := CheckSessionDuration(d); err != nil {
		return nil, err
	}
	out := *c
	out.Hops = append([]Hop(nil), c.Hops...)
	s := *out.Hops[0].Session
	s.Duration = d
	out.Hops[0].Session = &s
	return &out, nil
}

// StoredKeyUsers lists the profiles whose chains start at profile's stored
// key, profile first when it resolves: the sessions to drop when the key
// changes.
func StoredKeyUsers(cfg *config.Config, profile string) []string {
	var out []string
	for _, name := range cfg.ProfileNames() {
		c, err := Resolve(cfg, name)
		if err == nil && c.Hops[0].Kind == KindStored && c.Hops[0].Profile == profile {
			out = append(out, name)
		}
	}
	// A profile whose chain is broken elsewhere still owns its sessions.
	if len(out) == 0 || out[0] != profile {
		out = append([]string{profile}, out...)
	}
	return out
}

// conflictingKeys are the settings that give a profile credentials some
// other way than a stored key.
var conflictingKeys = []string{"role_arn", "source_profile", "credential_source", "sso_session", "sso_start_url",
	"sso_account_id", "sso_role_name", "credential_process", "web_identity_token_file"}

// StoredKeyConflict names the setting that stops profile taking a stored
// key, as an *Error; nil when none does.
func StoredKeyConflict(cfg *config.Config, profile string) error {
	p, ok := cfg.Profile(profile)
	if !ok {
		return nil
	}
	for _, key := range conflictingKeys {
		if p.Get(key) != "" {
			return &config.Error{Profile: profile, File: cfg.FileOf(p, key), Key: key,
				Msg:  fmt.Sprintf("sets %s, so its credentials come from elsewhere and a stored key would never be used", key),
				Hint: "store the key under the profile its source_profile chain ends at, or under a new profile name"}
		}
	}
	return nil
}
