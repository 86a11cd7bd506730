package fetch

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/99designs/keyring"

	"github.com/hop-cli/hop/creds"
)

// KeyringOptions choose and configure the session store.
type KeyringOptions struct {
	// Backend names a keyring backend; "" picks the first available.
	Backend string
	// Passphrase unlocks the file backend.
	Passphrase keyring.PromptFunc
	Getenv     func(string) string
}

// Backends lists the backend names hop accepts.
func Backends() []string {
	var names []string
	for _, b := range keyring.AvailableBackends() {
		names = append(names, string(b))
	}
	return names
}

// OpenKeyring opens the session store. Opening does not prompt: the file
// backend asks for its passphrase only when it first decrypts or encrypts.
func OpenKeyring(o KeyringOptions) (keyring.Keyring, error) {
	if o.Backend != "" && !slices.Contains(keyring.AvailableBackends(), keyring.BackendType(strings.ToLower(o.Backend))) {
		return nil, fmt.Errorf("keyring backend %q is not available here; choose one of: %s", o.Backend, strings.Join(Backends(), ", "))
	}
	var backends []keyring.BackendType
	for _, name := range creds.StoreOrder(o.Backend, o.Getenv) {
		backends = append(backends, keyring.BackendType(name))
	}
	dir := creds.StoreDir(o.Getenv)
	kr, err := keyring.Open(keyring.Config{
		AllowedBackends:          backends,
		ServiceName:              creds.StoreName,
		KeyCtlScope:              "user",
		FileDir:                  dir,
		FilePasswordFunc:         o.Passphrase,
		LibSecretCollectionName:  creds.StoreName,
		KWalletAppID:             creds.StoreName,
		KWalletFolder:            creds.StoreName,
		PassPrefix:               creds.StoreName,
		KeychainName:             "login",
		KeychainTrustApplication: true,
	})
	if err != nil {
		return nil, fmt.Errorf("opening the %s keyring: %w; pick another with --backend or HOP_BACKEND (%s)", strings.Join(backendNames(backends), "/"), err, strings.Join(Backends(), ", "))
	}
	return passphraseChecked{kr, dir}, nil
}

// PassphraseError means the file keyring's passphrase is not the one its
// items were written with.
type PassphraseError struct {
	Dir string
	err error
}

func (e *PassphraseError) Error() string {
	return fmt.Sprintf("the passphrase (HOP_FILE_PASSPHRASE, or the one typed) does not open the file keyring in %s; use the one it was created with, or run 'hop clear' to start it afresh", e.Dir)
}

func (e *PassphraseError) Unwrap() error { return e.err }

// passphraseChecked reports a wrong passphrase as such. The file backend
// says only that an item's key would not unwrap, which reads like a
// damaged item: hop would fetch anew and overwrite sessions that are fine.
type passphraseChecked struct {
	keyring.Keyring
	dir string
}

func (k passphraseChecked) Get(key string) (keyring.Item, error) {
	item, err := k.Keyring.Get(key)
	// jose2go has no error value to compare with; this is its AES key
	// unwrap failing, which a wrong key causes.
	if err != nil && strings.Contains(err.Error(), "KeyUnwrap(): integrity check failed") {
		return item, &PassphraseError{Dir: k.dir, err: err}
	}
	return item, err
}

// Set refuses to write under a passphrase that does not open the items
// already stored: the store would hold items under two passphrases, and
// whichever the user types, some would not open. One item is tried, on
// the cold path only.
func (k passphraseChecked) Set(item keyring.Item) error {
	keys, err := k.Keyring.Keys()
	if err != nil {
		return err
	}
	for _, key := range keys {
		if key == item.Key || !strings.HasPrefix(key, creds.KeyPrefix) && !strings.HasPrefix(key, creds.StoredKeyPrefix) {
			continue
		}
		var wrong *PassphraseError
		if _, err := k.Get(key); errors.As(err, &wrong) {
			return err
		}
		break
	}
	return k.Keyring.Set(item)
}

func backendNames(bs []keyring.BackendType) []string {
	names := make([]string, len(bs))
	for i, b := range bs {
		names[i] = string(b)
	}
	return names
}
