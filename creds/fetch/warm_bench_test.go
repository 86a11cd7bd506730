package fetch

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/99designs/keyring"

	"github.com/hop-cli/hop/creds"
)

// warmConfig is an SSO -> role -> role chain; only its target is cached in
// the warm benchmarks, so any lookup beyond the target's would miss and
// fail (there is no network to fall back on).
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

// BenchmarkWarmCredentials measures the warm path of `hop exec` in
// process: a fresh Fetcher (as each hop process makes one) serving a
// cached target from each backend. make bench times the whole process.
func BenchmarkWarmCredentials(b *testing.B) {
	for _, backend := range []string{"keyctl", "file"} {
		b.Run(backend, func(b *testing.B) {
			home := b.TempDir()
			env := map[string]string{
				"HOME":                home,
				"AWS_CONFIG_FILE":     filepath.Join(home, "config"),
				"HOP_FILE_PASSPHRASE": "bench",
				// Unreachable: a cache miss fails instead of reaching out.
				"AWS_ENDPOINT_URL": "http://127.0.0.1:9",
			}
			getenv := func(k string) string { return env[k] }
			if err := os.WriteFile(env["AWS_CONFIG_FILE"], []byte(warmConfig), 0o600); err != nil {
				b.Fatal(err)
			}
			cfg, err := creds.LoadConfig(creds.Paths(getenv))
			if err != nil {
				b.Fatal(err)
			}
			chain, err := creds.Resolve(cfg, "deploy")
			if err != nil {
				b.Fatal(err)
			}
			kr, err := OpenKeyring(KeyringOptions{
				Backend:    backend,
				FileDir:    filepath.Join(home, "keyring"),
				Passphrase: func(string) (string, error) { return env["HOP_FILE_PASSPHRASE"], nil },
				Getenv:     getenv,
			})
			if err != nil {
				b.Skipf("no %s keyring here: %v", backend, err)
			}
			key := creds.SessionKey(chain, len(chain.Hops)-1, getenv)
			data, err := json.Marshal(creds.Credentials{AccessKeyID: "ASIABENCH", SecretAccessKey: "bench", SessionToken: "bench", Expires: time.Now().Add(time.Hour).UTC()})
			if err != nil {
				b.Fatal(err)
			}
			if err := kr.Set(keyring.Item{Key: key, Data: data}); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() {
				if err := kr.Remove(key); err != nil && !errors.Is(err, keyring.ErrKeyNotFound) {
					b.Errorf("removing the benchmark's item: %v", err)
				}
			})
			b.ReportAllocs()
			for b.Loop() {
				// A new keyring each time, as in a new process: the file
				// backend keeps the passphrase once it has it.
				kr, err := OpenKeyring(KeyringOptions{
					Backend:    backend,
					FileDir:    filepath.Join(home, "keyring"),
					Passphrase: func(string) (string, error) { return env["HOP_FILE_PASSPHRASE"], nil },
					Getenv:     getenv,
				})
				if err != nil {
					b.Fatal(err)
				}
				f := New(Options{Getenv: getenv, Keyring: kr, NonInteractive: true})
				s, err := f.Credentials(b.Context(), chain)
				if err != nil {
					b.Fatal(err)
				}
				if s.Credentials.AccessKeyID != "ASIABENCH" {
					b.Fatalf("got key %q, want the cached one", s.Credentials.AccessKeyID)
				}
			}
		})
	}
}
