package store

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/mtibben/percent"
)

// Holds reports whether the store Peek reads has an item under key,
// without opening it: no passphrase, no decryption. Stores Peek cannot
// read answer false.
func Holds(key string, getenv func(string) string) bool {
	switch Order(getenv("HOP_BACKEND"), getenv)[0] {
	case "keyctl":
		return holdsKeyctl(key)
	case "file":
		return holdsFile(Dir(getenv), key)
	}
	return false
}

func holdsFile(dir, key string) bool {
	_, err := os.Stat(filepath.Join(dir, percent.Encode(key, "/")))
	return err == nil
}

// PeekStoredKeys answers Config.HasStoredKey from the stores Peek reads,
// as the front and list do.
//
// A warm exec asks once, and gets Holds' one stat. `hop list` asks for
// every profile with keys in the credentials file, tens of thousands in a
// large organisation's: from the second question on, the store (the file
// store's directory, or the kernel keyring) is listed once, and only a
// name it holds costs a lookup.
//
// The answer may be asked for from several goroutines at once.
func PeekStoredKeys(getenv func(string) string) func(profile string) bool {
	var asked atomic.Bool
	many := sync.OnceValue(func() func(string) bool { return HoldsMany(getenv) })
	return func(profile string) bool {
		key := StoredKeyItem(profile)
		if !asked.Swap(true) {
			return Holds(key, getenv)
		}
		return many()(key)
	}
}

// HoldsMany is Holds for many keys in a row. The store is listed once;
// a name the listing holds is looked up as Holds looks it up, so the
// answer is Holds' own.
func HoldsMany(getenv func(string) string) func(key string) bool {
	switch Order(getenv("HOP_BACKEND"), getenv)[0] {
	case "file":
		dir := Dir(getenv)
		keys := listKeys(dir)
		return func(key string) bool {
			// A key that is not UTF-8 is not named as it is encoded.
			if keys != nil && utf8.ValidString(key) && !keys[key] {
				return false
			}
			return holdsFile(dir, key)
		}
	case "keyctl":
		items := keyctlItems()
		return func(key string) bool {
			if items != nil && !items[key] {
				return false
			}
			return holdsKeyctl(key)
		}
	}
	return func(key string) bool { return Holds(key, getenv) }
}

// listKeys is the set of keys the files in dir are named for, decoded
// once rather than each key encoded per question: empty when dir does not
// exist, in which case no stat could find anything either, and nil when
// it cannot be listed, so each key is looked up on its own.
func listKeys(dir string) map[string]bool {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]bool{}
	}
	if err != nil {
		return nil
	}
	defer f.Close()
	list, err := f.Readdirnames(-1)
	if err != nil {
		return nil
	}
	keys := make(map[string]bool, len(list))
	for _, name := range list {
		keys[percent.Decode(name)] = true
	}
	return keys
}
