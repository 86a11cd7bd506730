package fetch

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/99designs/keyring"
)

// KeyringOptions choose and configure the session store.
type KeyringOptions struct {
	// Backend names a keyring backend; "" picks the first available.
	Backend string
	// FileDir is the file backend's directory; "" means ~/.hop/keyring.
	FileDir string
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

// defaultBackends orders the stores to try. The D-Bus stores are tried only
// when a session bus is advertised: without one, connecting would try to
// autolaunch a bus, which can hang a headless box.
func defaultBackends(getenv func(string) string) []keyring.BackendType {
	switch runtime.GOOS {
	case "darwin":
		return []keyring.BackendType{keyring.KeychainBackend, keyring.FileBackend}
	case "windows":
		return []keyring.BackendType{keyring.WinCredBackend, keyring.FileBackend}
	}
	var order []keyring.BackendType
	if getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		order = append(order, keyring.SecretServiceBackend, keyring.KWalletBackend)
	}
	return append(order, keyring.KeyCtlBackend, keyring.FileBackend)
}

// OpenKeyring opens the session store. Opening does not prompt: the file
// backend asks for its passphrase only when it first decrypts or encrypts.
func OpenKeyring(o KeyringOptions) (keyring.Keyring, error) {
	backends := defaultBackends(o.Getenv)
	if o.Backend != "" {
		b := keyring.BackendType(strings.ToLower(o.Backend))
		known := false
		for _, a := range keyring.AvailableBackends() {
			known = known || a == b
		}
		if !known {
			return nil, fmt.Errorf("keyring backend %q is not available here; choose one of: %s", o.Backend, strings.Join(Backends(), ", "))
		}
		backends = []keyring.BackendType{b}
	}
	dir := o.FileDir
	if dir == "" {
		home := o.Getenv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		dir = filepath.Join(home, ".hop", "keyring")
	}
	kr, err := keyring.Open(keyring.Config{
		AllowedBackends:          backends,
		ServiceName:              "hop",
		KeyCtlScope:              "user",
		FileDir:                  dir,
		FilePasswordFunc:         o.Passphrase,
		LibSecretCollectionName:  "hop",
		KWalletAppID:             "hop",
		KWalletFolder:            "hop",
		PassPrefix:               "hop",
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

func backendNames(bs []keyring.BackendType) []string {
	names := make([]string, len(bs))
	for i, b := range bs {
		names[i] = string(b)
	}
	return names
}
