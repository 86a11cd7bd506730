package fetch_test

import (
	"testing"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/internal/bench"
)

// BenchmarkWarmCredentials measures hop-core's warm path in process: a
// fresh Fetcher (as each hop process makes one) serving a cached target
// from each backend. make bench times the whole process.
func BenchmarkWarmCredentials(b *testing.B) {
	for _, backend := range []string{"keyctl", "file"} {
		b.Run(backend, func(b *testing.B) {
			env := bench.WarmCache(b, backend)
			getenv := func(k string) string { return env[k] }
			cfg, err := config.Load(config.Paths(getenv))
			if err != nil {
				b.Fatal(err)
			}
			chain, err := creds.Resolve(cfg, bench.WarmProfile)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				// A new keyring each time, as in a new process: the file
				// backend keeps the passphrase once it has it.
				kr, err := fetch.OpenKeyring(fetch.KeyringOptions{Backend: backend, Getenv: getenv,
					Passphrase: func(string) (string, error) { return env["HOP_FILE_PASSPHRASE"], nil }})
				if err != nil {
					b.Fatal(err)
				}
				f := fetch.New(fetch.Options{Getenv: getenv, Keyring: kr, NonInteractive: true})
				s, err := f.Credentials(b.Context(), chain)
				if err != nil {
					b.Fatal(err)
				}
				if s.Credentials.AccessKeyID != bench.WarmKeyID {
					b.Fatalf("got key %q, want the cached one", s.Credentials.AccessKeyID)
				}
			}
		})
	}
}
