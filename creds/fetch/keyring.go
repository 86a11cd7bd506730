package fetch

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/99designs/keyring"
	"github.com/hop-cli/hop/creds/store"
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

// ErrNoSuchBackend is OpenKeyring's answer to a backend this build does
// not have: a mistyped name, where other errors are a store that would not
// open.
var ErrNoSuchBackend = errors.New("is not available here")

// OpenKeyring opens the session store: the first in store.Order
// that opens. Opening does not prompt: the file store asks for its
// passphrase only when it first opens or seals an item.
func OpenKeyring(o KeyringOptions) (keyring.Keyring, error) {
	if o.Backend != "" && !slices.Contains(keyring.AvailableBackends(), keyring.BackendType(strings.ToLower(o.Backend))) {
		return nil, fmt.Errorf("keyring backend %q %w; choose one of: %s", o.Backend, ErrNoSuchBackend, strings.Join(Backends(), ", "))
	}
	order := store.Order(o.Backend, o.Getenv)
	var err error
	for _, name := range order {
		if name == string(keyring.FileBackend) {
			return fileKeyring{store.NewFileStore(store.Dir(o.Getenv), o.Passphrase)}, nil
		}
		var kr keyring.Keyring
		kr, err = keyring.Open(keyring.Config{
			AllowedBackends:          []keyring.BackendType{keyring.BackendType(name)},
			ServiceName:              store.Name,
			KeyCtlScope:              "user",
			LibSecretCollectionName:  store.Name,
			KWalletAppID:             store.Name,
			KWalletFolder:            store.Name,
			PassPrefix:               store.Name,
			KeychainName:             "login",
			KeychainTrustApplication: true,
		})
		if err == nil {
			return kr, nil
		}
	}
	return nil, fmt.Errorf("opening the %s keyring: %w; pick another with --backend or HOP_BACKEND (%s)", strings.Join(order, "/"), err, strings.Join(Backends(), ", "))
}

// fileKeyring is hop's own file store (store.FileStore) behind the
// library's interface. The library's file backend writes in place,
// follows a link planted at an item's path and keeps an existing file's
// mode; this one keeps its format and none of that. An item's payload is
// the JSON of keyring.Item, as the library's.
type fileKeyring struct {
	store *store.FileStore
}

func (k fileKeyring) Get(key string) (keyring.Item, error) {
	payload, err := k.store.Get(key)
	if errors.Is(err, fs.ErrNotExist) {
		return keyring.Item{}, keyring.ErrKeyNotFound
	}
	if err != nil {
		return keyring.Item{}, err
	}
	var item keyring.Item
	if err := json.Unmarshal(payload, &item); err != nil {
		return keyring.Item{}, fmt.Errorf("keyring item %s is damaged: %w", key, err)
	}
	return item, nil
}

// GetMetadata: every byte of an item is sealed, the key's own included.
func (k fileKeyring) GetMetadata(string) (keyring.Metadata, error) {
	return keyring.Metadata{}, keyring.ErrMetadataNeedsCredentials
}

func (k fileKeyring) Set(item keyring.Item) error {
	payload, err := json.Marshal(item)
	if err != nil {
		return err
	}
	return k.store.Set(item.Key, payload)
}

func (k fileKeyring) Remove(key string) error {
	err := k.store.Remove(key)
	if errors.Is(err, fs.ErrNotExist) {
		return keyring.ErrKeyNotFound
	}
	return err
}

func (k fileKeyring) Keys() ([]string, error) { return k.store.Keys() }
