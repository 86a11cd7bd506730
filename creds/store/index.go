package store

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Index records which sessions the keyring holds and until when. It holds
// no secrets, so list and explain can show the cache without unlocking
// the keyring (or asking for the file backend's passphrase).
type Index struct {
	path  string
	locks Locks
}

// maxIndexSize bounds the index hop reads: an entry is a profile name, a
// key and a time, and the bound holds a session for every profile of
// configs far larger than any organisation's.
const maxIndexSize = 64 << 20

// IndexEntry is one cached session.
type IndexEntry struct {
	Profile string    `json:"profile"`
	Expires time.Time `json:"expires"`
}

// IndexFor keeps the index beside hop's locks.
func IndexFor(getenv func(string) string) Index {
	locks := LocksFor(getenv, nil)
	return Index{path: filepath.Join(filepath.Dir(locks.Dir), "sessions.json"), locks: locks}
}

// Entries reads the index; a missing or damaged index is empty.
func (x Index) Entries() map[string]IndexEntry {
	entries := map[string]IndexEntry{}
	data, err := ReadRegularFile(x.path, maxIndexSize)
	if err == nil {
		json.Unmarshal(data, &entries)
	}
	return entries
}

// Lookup returns when the session under key expires, if it is cached.
func (x Index) Lookup(key string) (time.Time, bool) {
	e, ok := x.Entries()[key]
	return e.Expires, ok
}

// update edits the index under a lock, so concurrent hops don't lose each
// other's entries. Failing to index is never fatal: the index is a view.
func (x Index) update(edit func(map[string]IndexEntry)) error {
	release, err := x.locks.Acquire(context.Background(), "index", "updating the session index", 10*time.Second)
	if err != nil {
		return err
	}
	defer release()
	entries := x.Entries()
	edit(entries)
	data, err := json.MarshalIndent(entries, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(x.path, data)
}

func (x Index) Record(key, profile string, expires time.Time) error {
	return x.update(func(m map[string]IndexEntry) { m[key] = IndexEntry{Profile: profile, Expires: expires.UTC()} })
}

func (x Index) Forget(keys []string) error {
	if _, err := os.Stat(x.path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return x.update(func(m map[string]IndexEntry) {
		for _, k := range keys {
			delete(m, k)
		}
	})
}
