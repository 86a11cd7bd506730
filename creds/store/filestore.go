package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/mtibben/percent"
)

// maxItemSize bounds a keyring item hop reads: a session seals to a few
// kilobytes.
const maxItemSize = 1 << 20

// FileStore is the file keyring: one sealed item per file (see
// sealPBES2), named by the percent-encoded key, in a directory of the
// user's own. It keeps the keyring library's file format, so items either
// wrote open with the other. It writes by rename, never through a link
// or into a file that is already there, so a planted link or a loose mode
// cannot carry a session elsewhere.
type FileStore struct {
	Dir string
	ask func(prompt string) (string, error)

	mu         sync.Mutex
	passphrase string
	// checked: the passphrase opened an item here, or there was none to
	// open, so writing under it leaves the store under one passphrase.
	checked bool
}

// NewFileStore keeps items in dir. passphrase is asked, once, when an
// item is first opened or sealed.
func NewFileStore(dir string, passphrase func(prompt string) (string, error)) *FileStore {
	return &FileStore{Dir: dir, ask: passphrase}
}

// ErrEmptyPassphrase: sealed under "", anyone could open the items.
var ErrEmptyPassphrase = errors.New("the file keyring's passphrase is empty, which would let anyone open it; set HOP_FILE_PASSPHRASE or type a passphrase")

// PassphraseError means the file keyring's passphrase is not the one its
// items were written with.
type PassphraseError struct {
	Dir string
}

func (e *PassphraseError) Error() string {
	return fmt.Sprintf("the passphrase (HOP_FILE_PASSPHRASE, or the one typed) does not open the file keyring in %s; use the one it was created with, or run 'hop clear' to start it afresh", e.Dir)
}

func (s *FileStore) path(key string) string {
	return filepath.Join(s.Dir, percent.Encode(key, "/"))
}

// readItem reads one sealed item, refusing a link planted in its place.
func readItem(path string) ([]byte, error) {
	return readRegular(path, maxItemSize, openNoFollow)
}

// Get returns the payload stored under key; a missing item is an error
// that matches fs.ErrNotExist.
func (s *FileStore) Get(key string) ([]byte, error) {
	path := s.path(key)
	token, err := readItem(path)
	if err != nil {
		return nil, err
	}
	passphrase, err := s.unlock()
	if err != nil {
		return nil, err
	}
	payload, err := openPBES2(string(token), passphrase)
	if errors.Is(err, errWrongPassphrase) {
		return nil, &PassphraseError{Dir: s.Dir}
	}
	if err != nil {
		return nil, fmt.Errorf("keyring item %s: %w", path, err)
	}
	return payload, nil
}

// Set seals payload under key. It writes nothing under a passphrase that
// does not open the items already stored: the store would then hold items
// under two passphrases, and whichever the user typed, some would not
// open.
func (s *FileStore) Set(key string, payload []byte) error {
	passphrase, err := s.unlock()
	if err != nil {
		return err
	}
	if err := s.checkPassphrase(passphrase); err != nil {
		return err
	}
	if err := PrivateDir(s.Dir, false, "the file keyring "+s.Dir, "point HOP_FILE_DIR elsewhere"); err != nil {
		return err
	}
	token, err := sealPBES2(payload, passphrase)
	if err != nil {
		return err
	}
	return WriteFileAtomic(s.path(key), []byte(token))
}

// Remove deletes key's item; a missing item is an error that matches
// fs.ErrNotExist.
func (s *FileStore) Remove(key string) error {
	return os.Remove(s.path(key))
}

// Keys lists the stored keys, leaving out the temporary files of writes
// under way.
func (s *FileStore) Keys() ([]string, error) {
	entries, err := os.ReadDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing the file keyring %s: %w", s.Dir, err)
	}
	var keys []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			keys = append(keys, percent.Decode(e.Name()))
		}
	}
	return keys, nil
}

func (s *FileStore) unlock() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.passphrase != "" {
		return s.passphrase, nil
	}
	if s.ask == nil {
		return "", errors.New("the file keyring needs a passphrase: set HOP_FILE_PASSPHRASE")
	}
	p, err := s.ask(fmt.Sprintf("Enter passphrase to unlock %q", s.Dir))
	if err != nil {
		return "", err
	}
	if p == "" {
		return "", ErrEmptyPassphrase
	}
	s.passphrase = p
	return p, nil
}

// checkPassphrase tries items until one answers: an item that does not
// parse (a 0-byte file a kill -9 left, a file planted there) tells
// nothing and is passed over, so it cannot let a wrong passphrase through.
// A store with no item that parses takes any passphrase: it starts afresh.
func (s *FileStore) checkPassphrase(passphrase string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.checked {
		return nil
	}
	keys, err := s.Keys()
	if err != nil {
		return err
	}
	slices.Sort(keys)
	for _, key := range keys {
		token, err := readItem(s.path(key))
		if err != nil {
			continue
		}
		_, _, _, err = unwrapPBES2(string(token), passphrase)
		if errors.Is(err, errWrongPassphrase) {
			return &PassphraseError{Dir: s.Dir}
		}
		if err == nil {
			break
		}
	}
	s.checked = true
	return nil
}
