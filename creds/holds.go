package creds

import (
	"os"
	"path/filepath"

	"github.com/mtibben/percent"
)

// Holds reports whether the store Peek reads has an item under key,
// without opening it: no passphrase, no decryption. Stores Peek cannot
// read answer false.
func Holds(key string, getenv func(string) string) bool {
	switch StoreOrder(getenv("HOP_BACKEND"), getenv)[0] {
	case "keyctl":
		return holdsKeyctl(key)
	case "file":
		_, err := os.Stat(filepath.Join(StoreDir(getenv), percent.Encode(key, "/")))
		return err == nil
	}
	return false
}

// PeekStoredKeys answers Config.HasStoredKey from the stores Peek reads,
// as the front and list do.
func PeekStoredKeys(getenv func(string) string) func(profile string) bool {
	return func(profile string) bool { return Holds(StoredKeyItem(profile), getenv) }
}
