package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// hop's sessions live in a keyring that creds/fetch opens to write them:
// the file store is hop's own (FileStore), the others are
// github.com/99designs/keyring's. Peek reads the file store and the
// library's kernel keyring store without the library: it probes D-Bus in
// its init, at every start of any program that links it, and a warm exec
// must not pay for that.

// Name names hop's keyring, or its collection, in every store.
const Name = "hop"

// A long-term key (hop add) lives in the keyring beside the sessions, under
// StoredKeyPrefix + profile. The prefix is not KeyPrefix, so clearing
// sessions never removes a key.
const StoredKeyPrefix = "hop-key:"

// StoredKeyItem names profile's long-term key in the keyring.
func StoredKeyItem(profile string) string { return StoredKeyPrefix + profile }

// Order lists the stores to try, by the keyring library's backend
// names: the one chosen (--backend or HOP_BACKEND), else the platform's
// order. The D-Bus stores are tried only when a session bus is advertised:
// without one, connecting would try to autolaunch a bus, which can hang a
// headless box.
func Order(chosen string, getenv func(string) string) []string {
	if chosen != "" {
		return []string{strings.ToLower(chosen)}
	}
	switch runtime.GOOS {
	case "darwin":
		return []string{"keychain", "file"}
	case "windows":
		return []string{"wincred", "file"}
	}
	var order []string
	if getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		order = append(order, "secret-service", "kwallet")
	}
	return append(order, "keyctl", "file")
}

// Dir is the file store's directory: HOP_FILE_DIR, else
// ~/.hop/keyring.
func Dir(getenv func(string) string) string {
	if dir := getenv("HOP_FILE_DIR"); dir != "" {
		return dir
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".hop", "keyring")
}

// Peek returns the payload of the cache item key from the first store in
// Order, when that store is the kernel keyring or the file store and
// holds the item. It never prompts: without HOP_FILE_PASSPHRASE the file
// store is not read. Anything else, an error included, is a miss, which
// the caller leaves to creds/fetch to handle and report.
func Peek(key string, getenv func(string) string) ([]byte, bool) {
	switch Order(getenv("HOP_BACKEND"), getenv)[0] {
	case "keyctl":
		return peekKeyctl(key)
	case "file":
		return peekFile(key, getenv)
	}
	return nil, false
}

// peekFile reads the file store with HOP_FILE_PASSPHRASE.
func peekFile(key string, getenv func(string) string) ([]byte, bool) {
	passphrase := getenv("HOP_FILE_PASSPHRASE")
	if passphrase == "" {
		return nil, false
	}
	store := NewFileStore(Dir(getenv), func(string) (string, error) { return passphrase, nil })
	payload, err := store.Get(key)
	if err != nil {
		return nil, false
	}
	var item struct{ Data []byte }
	if json.Unmarshal(payload, &item) != nil {
		return nil, false
	}
	return item.Data, true
}
