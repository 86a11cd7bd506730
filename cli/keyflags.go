package cli

import (
	"context"
	"os"
	"sync"
	"time"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/creds/store"
)

// keyFlags shape how a stored long-term key is used.
type keyFlags struct {
	NoSession bool          `name:"no-session" short:"n" xor:"session-length" help:"Use a stored key as it is: no GetSessionToken first (roles on it are assumed with the key and their own MFA code)."`
	Duration  time.Duration `short:"d" xor:"session-length" help:"Length of a stored key's session (default 8h when roles are assumed from it, 1h otherwise)." placeholder:"8h"`
}

// Validate refuses a --duration no session can have as the command line
// is read, before any profile is looked at.
func (k keyFlags) Validate() error {
	if k.Duration == 0 {
		return nil
	}
	return creds.CheckSessionDuration(k.Duration)
}

// apply turns the flags into the chain to fetch.
func (k keyFlags) apply(chain *creds.Chain) (*creds.Chain, error) {
	if k.NoSession {
		return chain.WithoutSession(), nil
	}
	if k.Duration != 0 {
		return chain.WithSessionDuration(k.Duration)
	}
	return chain, nil
}

// storedKeyLookup answers config.Config.HasStoredKey for the store in use:
// the way the front does for the stores it reads, so the two resolve the
// same chains, and through the keyring library, listed once, for others.
func (g *Globals) storedKeyLookup(ctx context.Context) func(string) bool {
	getenv := func(name string) string {
		if name == "HOP_BACKEND" {
			return g.Backend
		}
		return os.Getenv(name)
	}
	if kind := store.Order(g.Backend, getenv)[0]; kind == "keyctl" || kind == "file" {
		return store.PeekStoredKeys(getenv)
	}
	// The file keyring is unlocked with HOP_FILE_PASSPHRASE, taken at
	// start, or a prompt.
	passphrase := func(prompt string) (string, error) { return filePassphrase(ctx, g.passphrase, prompt) }
	held := sync.OnceValue(func() map[string]bool {
		kr, err := fetch.OpenKeyring(fetch.KeyringOptions{Backend: g.Backend, Passphrase: passphrase, Getenv: os.Getenv})
		if err != nil {
			return nil
		}
		keys, _ := kr.Keys()
		set := make(map[string]bool, len(keys))
		for _, k := range keys {
			set[k] = true
		}
		return set
	})
	// list asks for every profile, possibly from several goroutines.
	return func(profile string) bool { return held()[store.StoredKeyItem(profile)] }
}
