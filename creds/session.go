package creds

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hop-cli/hop/creds/config"
)

const (
	// ReuseMargin is how long before expiry a cached session is replaced,
	// so a command never starts with credentials about to lapse.
	ReuseMargin = 5 * time.Minute
	// KeyPrefix starts every keyring item hop owns.
	KeyPrefix = "hop:"
)

// Credentials are one hop's credentials. For the hops hop caches, their
// JSON is the keyring item's payload.
type Credentials struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken"`
	// Expires is zero for credentials that do not expire (static keys).
	Expires time.Time `json:"Expiration"`
	// AccountID is the account STS or SSO reported, when it did.
	AccountID string `json:"AccountId,omitempty"`
}

// Session is what the target of a chain yields.
type Session struct {
	Credentials Credentials
	Profile     string
	RoleARN     string
	AccountID   string
}

// Session pairs the target's credentials with who they are: the account
// the config names, or else the one the credentials came with.
func (c *Chain) Session(cr Credentials) *Session {
	t := c.Target()
	account := t.AccountID()
	if account == "" {
		account = cr.AccountID
	}
	return &Session{Credentials: cr, Profile: c.Profile, RoleARN: t.RoleARN, AccountID: account}
}

// Check says what is wrong with credentials from outside hop (a server, a
// helper, the environment, a keyring item), without repeating any of them.
// Their values end up in a shell's assignments, a child's environment and
// request headers, where a control character cuts or rewrites them: every
// value must be printable UTF-8, the key ID and secret must be there, and
// an expiry must be a time RFC 3339 can write.
func (cr Credentials) Check() error {
	if cr.AccessKeyID == "" {
		return errors.New("the access key ID is empty")
	}
	if cr.SecretAccessKey == "" {
		return errors.New("the secret access key is empty")
	}
	for _, v := range []struct{ name, value string }{
		{"access key ID", cr.AccessKeyID},
		{"secret access key", cr.SecretAccessKey},
		{"session token", cr.SessionToken},
	} {
		if i := unprintable(v.value); i >= 0 {
			return fmt.Errorf("the %s has a control, invisible or invalid character at byte %d", v.name, i)
		}
	}
	if y := cr.Expires.Year(); !cr.Expires.IsZero() && (y < 0 || y > 9999) {
		return fmt.Errorf("the expiry is in the year %d", y)
	}
	return nil
}

// unprintable is the byte offset of the first character of s that is not
// valid UTF-8 or not printable (controls, NUL, DEL, C1, line separators,
// bidi and other format characters; the ASCII space is printable), or -1.
func unprintable(s string) int {
	for i, r := range s {
		if !unicode.IsPrint(r) {
			return i
		}
		if _, size := utf8.DecodeRuneInString(s[i:]); r == utf8.RuneError && size == 1 {
			return i
		}
	}
	return -1
}

// ParseCached reads a keyring item's payload. An error means the item is
// of no use (damaged, or too close to expiry) and says why.
func ParseCached(data []byte, now time.Time) (Credentials, error) {
	cr, ok := readFlat(data)
	if !ok {
		if err := json.Unmarshal(data, &cr); err != nil {
			return Credentials{}, errors.New("damaged")
		}
	}
	if cr.Expires.IsZero() {
		return Credentials{}, errors.New("damaged")
	}
	if err := cr.Check(); err != nil {
		return Credentials{}, fmt.Errorf("damaged: %w", err)
	}
	if !cr.Expires.After(now.Add(ReuseMargin)) {
		return Credentials{}, fmt.Errorf("expires at %s", cr.Expires.Format(time.RFC3339))
	}
	return cr, nil
}

// SessionKey names hop i's cache entry: its profile plus a digest of every
// input that shapes its credentials, from the source up, and the endpoints
// they come from. Editing any of them makes a new entry.
func SessionKey(c *Chain, i int, getenv func(string) string) string {
	doc := keyDocOf(c, i, getenv)
	sum := sha256.Sum256(doc.append(make([]byte, 0, 512)))
	return KeyPrefix + c.Hops[i].Profile + ":" + hex.EncodeToString(sum[:8])
}

// keyDocOf is the document SessionKey digests for hop i of c.
func keyDocOf(c *Chain, i int, getenv func(string) string) keyDoc {
	doc := keyDoc{Hops: make([]keyInput, 0, i+1)}
	for j := 0; j <= i; j++ {
		in := keyInput{Hop: c.Hops[j]}
		if in.Kind == KindStatic {
			p, _ := c.Config.Profile(in.Profile)
			in.Static = p.Get("aws_access_key_id")
		}
		// One session serves a stored key's profile and the roles on it,
		// whatever length each would have asked for. Its key ID is not
		// digested: that would cost a keyring read on every warm exec, so
		// hop drops these sessions whenever it changes the key instead.
		if in.Session != nil {
			s := *in.Session
			s.Duration = 0
			in.Session = &s
		}
		doc.Hops = append(doc.Hops, in)
	}
	doc.STS = c.Config.Endpoint(c.Profile, config.ServiceSTS, getenv)
	doc.SSO = c.Config.Endpoint(c.Profile, config.ServiceSSO, getenv)
	doc.STSRegion = c.Region
	if c.Hops[0].Kind == KindLogin {
		doc.Signin = c.Config.Endpoint(c.Profile, config.ServiceSignin, getenv)
	}
	return doc
}

// Cacheable reports whether hop's cache holds this kind of hop: the kinds
// that cost a network call. Static keys, processes and the machine's own
// sources are local already, or cached by their owner.
func (h *Hop) Cacheable() bool {
	return h.Kind == KindSSO || h.Kind == KindRole || h.Kind == KindWebIdentity || h.Kind == KindLogin || h.Session != nil
}
