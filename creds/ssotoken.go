package creds

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/store"
)

// Token is an Identity Center access token as the AWS CLI caches it in
// ~/.aws/sso/cache. hop reads and writes the same files so that one login
// serves both tools.
type Token struct {
	StartURL              string `json:"startUrl"`
	Region                string `json:"region"`
	AccessToken           string `json:"accessToken"`
	ExpiresAt             string `json:"expiresAt"`
	ClientID              string `json:"clientId,omitempty"`
	ClientSecret          string `json:"clientSecret,omitempty"`
	RegistrationExpiresAt string `json:"registrationExpiresAt,omitempty"`
	RefreshToken          string `json:"refreshToken,omitempty"`
}

// CLITime is how the AWS CLI writes times in its cache.
const CLITime = "2006-01-02T15:04:05Z"

// parseCacheTime accepts RFC 3339 and the older "...UTC" form the CLI once
// wrote. An unparsable time counts as already past.
func parseCacheTime(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05UTC"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// Expires is when the access token stops working.
func (t *Token) Expires() time.Time { return parseCacheTime(t.ExpiresAt) }

// CanRefresh reports whether the token carries a refresh token and a client
// registration that is still valid.
func (t *Token) CanRefresh(now time.Time) bool {
	return t.RefreshToken != "" && t.ClientID != "" && t.ClientSecret != "" &&
		parseCacheTime(t.RegistrationExpiresAt).After(now)
}

// TokenCache is the AWS CLI's SSO token cache directory.
type TokenCache struct {
	Dir string
}

// TokenCacheFor returns the cache under HOME, as the CLI uses it.
func TokenCacheFor(getenv func(string) string) TokenCache {
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return TokenCache{Dir: filepath.Join(home, ".aws", "sso", "cache")}
}

// Path is the cache file for an SSO hop: named by the SHA-1 of the session
// name, or of the start URL for the legacy form.
func (c TokenCache) Path(s *config.SSOSettings) string {
	key := s.Session
	if key == "" {
		key = s.StartURL
	}
	sum := sha1.Sum([]byte(key))
	return filepath.Join(c.Dir, hex.EncodeToString(sum[:])+".json")
}

// maxTokenSize bounds a token cache file: a token is a few kilobytes.
const maxTokenSize = 1 << 20

// ErrInvalidToken: the token cache file is a file, but not a token; a
// new sign-in replaces it.
var ErrInvalidToken = errors.New("a new sign-in replaces it")

// Load reads the cached token; a missing file returns (nil, nil). A file
// that is not a token is reported as ErrInvalidToken, so the caller can
// log in afresh; one hop cannot read at all (a FIFO, a huge file) is
// another error, which a sign-in could not cure.
func (c TokenCache) Load(s *config.SSOSettings) (*Token, error) {
	path := c.Path(s)
	data, err := store.ReadRegularFile(path, maxTokenSize)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("SSO token cache: %w; remove it, then sign in again", err)
	}
	var t Token
	if err := json.Unmarshal(data, &t); err != nil || t.AccessToken == "" {
		return nil, fmt.Errorf("SSO token cache %s is not a valid token file: %w", path, ErrInvalidToken)
	}
	return &t, nil
}

// Save writes the token atomically with mode 0600, so a reader (hop or the
// CLI) never sees half a file.
func (c TokenCache) Save(s *config.SSOSettings, t *Token) error {
	data, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	return store.WriteFileAtomic(c.Path(s), data)
}

// Remove deletes the cached token.
func (c TokenCache) Remove(s *config.SSOSettings) error {
	err := os.Remove(c.Path(s))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
