package creds

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hop-cli/hop/creds/store"
)

// LoginToken is an `aws login` session as the AWS CLI caches it in
// ~/.aws/login/cache: short-lived credentials (accessToken), and the
// refresh token and DPoP key that renew them. hop reads and writes the same
// files, so one `aws login` serves both tools.
type LoginToken struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	AccountID       string
	ExpiresAt       time.Time
	RefreshToken    string
	ClientID        string
	// DPoPKey is the PEM EC private key the refresh token is bound to.
	DPoPKey string

	// raw is the file as read, so that writing it back keeps what hop does
	// not know (idToken, tokenType, fields a newer CLI adds).
	raw       map[string]json.RawMessage
	rawAccess map[string]json.RawMessage
}

// LoginCache is the AWS CLI's `aws login` cache directory.
type LoginCache struct {
	Dir string
}

// LoginCacheFor returns the cache the CLI and the SDKs use:
// AWS_LOGIN_CACHE_DIRECTORY, else ~/.aws/login/cache.
func LoginCacheFor(getenv func(string) string) LoginCache {
	if dir := getenv("AWS_LOGIN_CACHE_DIRECTORY"); dir != "" {
		return LoginCache{Dir: dir}
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return LoginCache{Dir: filepath.Join(home, ".aws", "login", "cache")}
}

// Path is the cache file of a login_session: named by the SHA-256 of the
// session's ARN, in lower-case hex, as the SDKs name it.
func (c LoginCache) Path(session string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(session)))
	return filepath.Join(c.Dir, hex.EncodeToString(sum[:])+".json")
}

// ErrNoLoginSession: there is no usable `aws login` session for the
// profile; only `aws login` makes one.
var ErrNoLoginSession = errors.New("no usable aws login session")

// Load reads a login session's cache file. A missing or unusable file is
// reported wrapping ErrNoLoginSession.
func (c LoginCache) Load(session string) (*LoginToken, error) {
	path := c.Path(session)
	data, err := store.ReadRegularFile(path, maxTokenSize)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s does not exist", ErrNoLoginSession, path)
	}
	if err != nil {
		return nil, fmt.Errorf("aws login cache: %w", err)
	}
	t, err := ParseLoginToken(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNoLoginSession, path, err)
	}
	return t, nil
}

// ParseLoginToken reads the CLI's cache format. Every field the refresh
// needs must be there.
func ParseLoginToken(data []byte) (*LoginToken, error) {
	t := &LoginToken{}
	if err := json.Unmarshal(data, &t.raw); err != nil || t.raw == nil {
		return nil, errors.New("not a login session file")
	}
	if err := json.Unmarshal(t.raw["accessToken"], &t.rawAccess); err != nil || t.rawAccess == nil {
		return nil, errors.New("no accessToken")
	}
	str := func(m map[string]json.RawMessage, key string, dst *string) error {
		if err := json.Unmarshal(m[key], dst); err != nil || *dst == "" {
			return fmt.Errorf("no %s", key)
		}
		return nil
	}
	var expires string
	for _, f := range []struct {
		m   map[string]json.RawMessage
		key string
		dst *string
	}{
		{t.rawAccess, "accessKeyId", &t.AccessKeyID},
		{t.rawAccess, "secretAccessKey", &t.SecretAccessKey},
		{t.rawAccess, "sessionToken", &t.SessionToken},
		{t.rawAccess, "accountId", &t.AccountID},
		{t.rawAccess, "expiresAt", &expires},
		{t.raw, "refreshToken", &t.RefreshToken},
		{t.raw, "clientId", &t.ClientID},
		{t.raw, "dpopKey", &t.DPoPKey},
	} {
		if err := str(f.m, f.key, f.dst); err != nil {
			return nil, err
		}
	}
	if t.ExpiresAt = parseCacheTime(expires); t.ExpiresAt.IsZero() {
		return nil, fmt.Errorf("expiresAt %q is not a time", expires)
	}
	return t, nil
}

// Marshal writes t in the CLI's format, keeping the fields it was read
// with.
func (t *LoginToken) Marshal() ([]byte, error) {
	raw := map[string]json.RawMessage{}
	for k, v := range t.raw {
		raw[k] = v
	}
	access := map[string]json.RawMessage{}
	for k, v := range t.rawAccess {
		access[k] = v
	}
	set := func(m map[string]json.RawMessage, key, value string) {
		m[key], _ = json.Marshal(value)
	}
	set(access, "accessKeyId", t.AccessKeyID)
	set(access, "secretAccessKey", t.SecretAccessKey)
	set(access, "sessionToken", t.SessionToken)
	set(access, "accountId", t.AccountID)
	set(access, "expiresAt", t.ExpiresAt.UTC().Format(CLITime))
	a, err := json.Marshal(access)
	if err != nil {
		return nil, err
	}
	raw["accessToken"] = a
	set(raw, "refreshToken", t.RefreshToken)
	set(raw, "clientId", t.ClientID)
	set(raw, "dpopKey", t.DPoPKey)
	return json.MarshalIndent(raw, "", "  ")
}

// Save writes the session back atomically with mode 0600, so the CLI (or
// another hop) never reads half a file.
func (c LoginCache) Save(session string, t *LoginToken) error {
	data, err := t.Marshal()
	if err != nil {
		return err
	}
	return store.WriteFileAtomic(c.Path(session), data)
}
