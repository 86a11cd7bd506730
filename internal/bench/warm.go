package bench

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/99designs/keyring"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/fetch"
)

// warmConfig is an SSO -> role -> role chain. Only its target, WarmProfile,
// is cached, so any lookup beyond the target's misses, and with no network
// to fall back on, fails.
const warmConfig = `[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile sso]
sso_session = corp
sso_account_id = 123412341234
sso_role_name = Developer
region = eu-west-1

[profile role]
role_arn = arn:aws:iam::123412341234:role/Role
source_profile = sso

[profile deploy]
role_arn = arn:aws:iam::123412341234:role/Deploy
source_profile = role
`

// WarmProfile is the profile WarmCache caches, and WarmKeyID its session's
// access key id.
const (
	WarmProfile = "deploy"
	WarmKeyID   = "ASIABENCH"
)

// WarmCache writes a config under a new home and caches a fresh session for
// WarmProfile in backend's store, as hop-core would, and returns the
// environment that points hop at them. It skips tb when the store is not
// available here, and removes the item when tb ends.
func WarmCache(tb testing.TB, backend string) map[string]string {
	tb.Helper()
	return warmCache(tb, backend, -1, time.Hour)
}

// WarmCacheLeft is WarmCache with a session that has left to run.
func WarmCacheLeft(tb testing.TB, backend string, left time.Duration) map[string]string {
	tb.Helper()
	return warmCache(tb, backend, -1, left)
}

// WarmCacheAmong is WarmCache with the chain's sections written after
// WriteScaleConfig's n profiles and its credentials file: the warm exec of
// a large organisation's config.
func WarmCacheAmong(tb testing.TB, backend string, n int) map[string]string {
	tb.Helper()
	return warmCache(tb, backend, n, time.Hour)
}

// warmCache writes warmConfig alone when n < 0, and caches a session with
// left to run.
func warmCache(tb testing.TB, backend string, n int, left time.Duration) map[string]string {
	tb.Helper()
	home := tb.TempDir()
	env := map[string]string{
		"HOME":                home,
		"AWS_CONFIG_FILE":     filepath.Join(home, "config"),
		"HOP_BACKEND":         backend,
		"HOP_FILE_DIR":        filepath.Join(home, "keyring"),
		"HOP_FILE_PASSPHRASE": "bench",
		// Unreachable: a cache miss fails instead of reaching out.
		"AWS_ENDPOINT_URL": "http://127.0.0.1:9",
	}
	getenv := func(k string) string { return env[k] }
	text := []byte(warmConfig)
	if n >= 0 {
		configPath, credentialsPath, _, err := WriteScaleConfig(home, n)
		if err != nil {
			tb.Fatal(err)
		}
		generated, err := os.ReadFile(configPath)
		if err != nil {
			tb.Fatal(err)
		}
		text = append(generated, text...)
		env["AWS_SHARED_CREDENTIALS_FILE"] = credentialsPath
	}
	if err := os.WriteFile(env["AWS_CONFIG_FILE"], text, 0o600); err != nil {
		tb.Fatal(err)
	}
	cfg, err := config.Load(config.Paths(getenv))
	if err != nil {
		tb.Fatal(err)
	}
	chain, err := creds.Resolve(cfg, WarmProfile)
	if err != nil {
		tb.Fatal(err)
	}
	kr, err := fetch.OpenKeyring(fetch.KeyringOptions{Backend: backend, Getenv: getenv,
		Passphrase: func(string) (string, error) { return env["HOP_FILE_PASSPHRASE"], nil }})
	if err != nil {
		tb.Skipf("no %s keyring here: %v", backend, err)
	}
	key := creds.SessionKey(chain, len(chain.Hops)-1, getenv)
	data, err := json.Marshal(creds.Credentials{AccessKeyID: WarmKeyID, SecretAccessKey: "bench", SessionToken: "bench",
		Expires: time.Now().Add(left).UTC()})
	if err != nil {
		tb.Fatal(err)
	}
	if err := kr.Set(keyring.Item{Key: key, Data: data}); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := kr.Remove(key); err != nil && !errors.Is(err, keyring.ErrKeyNotFound) {
			tb.Errorf("removing the cached session: %v", err)
		}
	})
	return env
}
