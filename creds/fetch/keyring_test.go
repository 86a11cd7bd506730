package fetch

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/99designs/keyring"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/store"
)

func TestOpenKeyringRejectsUnknownBackend(t *testing.T) {
	_, err := OpenKeyring(KeyringOptions{Backend: "vault", Getenv: func(string) string { return "" }})
	if err == nil || !strings.Contains(err.Error(), `"vault" is not available`) || !strings.Contains(err.Error(), "file") {
		t.Errorf("err = %v, want one naming the backend and the choices", err)
	}
}

func TestFileKeyringRoundTrip(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string { return map[string]string{"HOP_FILE_DIR": dir}[k] }
	kr, err := OpenKeyring(KeyringOptions{Backend: "file",
		Passphrase: func(string) (string, error) { return "pw", nil }, Getenv: getenv})
	if err != nil {
		t.Fatal(err)
	}
	if err := kr.Set(keyring.Item{Key: creds.KeyPrefix + "p:1", Data: []byte("secret-data")}); err != nil {
		t.Fatal(err)
	}
	item, err := kr.Get(creds.KeyPrefix + "p:1")
	if err != nil || string(item.Data) != "secret-data" {
		t.Fatalf("Get = %q, %v", item.Data, err)
	}
}

// TestPeekReadsWhatTheLibraryWrote: store.Peek, which a warm exec uses
// instead of the keyring library, finds exactly the items OpenKeyring
// stores, in the library's kernel keyring and in hop's file store, and
// misses whatever it cannot read without help. TestFileStoreMatchesTheLibrary
// covers the items the library's own file store wrote.
func TestPeekReadsWhatTheLibraryWrote(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"HOME": dir, "HOP_FILE_DIR": filepath.Join(dir, "keyring"), "HOP_FILE_PASSPHRASE": "pass"}
	getenv := func(k string) string { return env[k] }
	// A profile name may hold characters the file store escapes.
	key := creds.KeyPrefix + "team/dev%1:" + strconv.FormatInt(time.Now().UnixNano(), 16)
	data := []byte(`{"AccessKeyId":"ASIAPEEK"}`)
	for _, backend := range []string{"keyctl", "file"} {
		t.Run(backend, func(t *testing.T) {
			env["HOP_BACKEND"] = backend
			kr, err := OpenKeyring(KeyringOptions{Backend: backend, Getenv: getenv,
				Passphrase: func(string) (string, error) { return "pass", nil }})
			if err != nil {
				t.Skipf("%s store unavailable here: %v", backend, err)
			}
			if _, ok := store.Peek(key, getenv); ok {
				t.Fatalf("Peek found %s before it was stored", key)
			}
			// A large item too: Peek reads keyctl into a buffer of 2 KiB first.
			large := []byte(`{"AccessKeyId":"ASIAPEEK","SessionToken":"` + strings.Repeat("T", 5000) + `"}`)
			for _, data := range [][]byte{large, data} {
				if err := kr.Set(keyring.Item{Key: key, Data: data}); err != nil {
					t.Fatal(err)
				}
				if got, ok := store.Peek(key, getenv); !ok || string(got) != string(data) {
					t.Errorf("Peek = %q, %v; want %q as stored", got, ok, data)
				}
			}
			t.Cleanup(func() { kr.Remove(key) })
			if backend == "file" {
				env["HOP_FILE_PASSPHRASE"] = "wrong"
				if _, ok := store.Peek(key, getenv); ok {
					t.Error("Peek read the file store with the wrong passphrase")
				}
				env["HOP_FILE_PASSPHRASE"] = ""
				if _, ok := store.Peek(key, getenv); ok {
					t.Error("Peek read the file store without a passphrase")
				}
				env["HOP_FILE_PASSPHRASE"] = "pass"
			}
		})
	}
	env["HOP_BACKEND"] = ""
	env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent"
	if _, ok := store.Peek(key, getenv); ok {
		t.Error("Peek answered although the first store would be the Secret Service")
	}
}

// fileStore opens the file keyring in a fresh directory under passphrase.
func fileStore(t *testing.T, dir, passphrase string) keyring.Keyring {
	t.Helper()
	kr, err := OpenKeyring(KeyringOptions{Backend: "file", Getenv: func(k string) string {
		return map[string]string{"HOP_FILE_DIR": dir}[k]
	}, Passphrase: func(string) (string, error) { return passphrase, nil }})
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

// libraryFileStore is the keyring library's own file backend, which wrote
// the items of hop versions before hop kept its own.
func libraryFileStore(t *testing.T, dir, passphrase string) keyring.Keyring {
	t.Helper()
	kr, err := keyring.Open(keyring.Config{AllowedBackends: []keyring.BackendType{keyring.FileBackend}, FileDir: dir,
		FilePasswordFunc: func(string) (string, error) { return passphrase, nil }})
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

// TestFileStoreMatchesTheLibrary: hop's file store and the keyring
// library's read each other's items, so sessions cached before hop kept
// its own store still open, and Peek reads both.
func TestFileStoreMatchesTheLibrary(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keyring")
	ours, theirs := fileStore(t, dir, "pass"), libraryFileStore(t, dir, "pass")
	getenv := func(k string) string {
		return map[string]string{"HOP_BACKEND": "file", "HOP_FILE_DIR": dir, "HOP_FILE_PASSPHRASE": "pass"}[k]
	}
	for _, c := range []struct {
		name           string
		writer, reader keyring.Keyring
	}{{"library to hop", theirs, ours}, {"hop to library", ours, theirs}} {
		key := creds.KeyPrefix + "team/dev%1:" + strings.ReplaceAll(c.name, " ", "-")
		want := keyring.Item{Key: key, Data: []byte(`{"AccessKeyId":"ASIA"}`), Label: "l", Description: "d"}
		if err := c.writer.Set(want); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, err := c.reader.Get(key)
		if err != nil || string(got.Data) != string(want.Data) || got.Label != "l" || got.Description != "d" {
			t.Errorf("%s: Get = %+v, %v", c.name, got, err)
		}
		if data, ok := store.Peek(key, getenv); !ok || string(data) != string(want.Data) {
			t.Errorf("%s: Peek = %q, %v", c.name, data, ok)
		}
		keys, _ := c.reader.Keys()
		if !slices.Contains(keys, key) {
			t.Errorf("%s: Keys %q lacks %q", c.name, keys, key)
		}
	}
}

func mustMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode() != want {
		t.Errorf("%s has mode %v, want %v", path, info.Mode(), want)
	}
}

// TestFileStoreWritesNoLinkAndNoLooseMode: an item is written whole, by
// rename, 0600: a link planted at its path is replaced, not followed, and
// an existing item's loose mode is not kept.
func TestFileStoreWritesNoLinkAndNoLooseMode(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keyring")
	kr := fileStore(t, dir, "pass")
	if err := kr.Set(keyring.Item{Key: "hop:a:1", Data: []byte("one")}); err != nil {
		t.Fatal(err)
	}
	loose := filepath.Join(dir, "hop:a:1")
	if err := os.Chmod(loose, 0o644); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	planted := filepath.Join(dir, "hop:b:1")
	if err := os.Symlink(victim, planted); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Get("hop:b:1"); err == nil {
		t.Error("Get read an item through a link")
	}
	for _, key := range []string{"hop:a:1", "hop:b:1"} {
		if err := kr.Set(keyring.Item{Key: key, Data: []byte("two")}); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := os.ReadFile(victim); string(got) != "precious" {
		t.Errorf("the link's target now holds %q", got)
	}
	mustMode(t, victim, 0o644)
	mustMode(t, loose, 0o600)
	mustMode(t, planted, 0o600)
	mustMode(t, dir, os.ModeDir|0o700)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the keyring holds %d files, want the 2 items and no leftovers", len(entries))
	}
}

// TestFileStoreWritesOnlyToAPrivateDirectory: the user's own directory is
// made 0700 before a secret goes in; someone else's gets none.
func TestFileStoreWritesOnlyToAPrivateDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := fileStore(t, dir, "pass").Set(keyring.Item{Key: "hop:a:1", Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	mustMode(t, dir, os.ModeDir|0o700)
	if os.Geteuid() != 0 {
		t.Skip("giving a directory to another user needs root")
	}
	theirs := t.TempDir()
	if err := os.Chown(theirs, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	err := fileStore(t, theirs, "pass").Set(keyring.Item{Key: "hop:a:1", Data: []byte("x")})
	if err == nil || !strings.Contains(err.Error(), "belongs to user 65534, not to you") {
		t.Errorf("writing into another user's directory: %v, want a refusal", err)
	}
	if entries, _ := os.ReadDir(theirs); len(entries) != 0 {
		t.Errorf("%d files written into another user's directory", len(entries))
	}
}

// TestWrongPassphraseWritesNothing: a damaged item (the 0-byte file a
// kill -9 can leave), sorted first, does not let a wrong passphrase
// through; nor is anything sealed under an empty one.
func TestWrongPassphraseWritesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keyring")
	if err := fileStore(t, dir, "right").Set(keyring.Item{Key: "hop:b:1", Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "hop:a:1"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := fileStore(t, dir, "wrong").Set(keyring.Item{Key: "hop:c:1", Data: []byte("y")})
	var wrong *store.PassphraseError
	if !errors.As(err, &wrong) {
		t.Errorf("Set under the wrong passphrase: %v, want a PassphraseError", err)
	}
	err = fileStore(t, dir, "").Set(keyring.Item{Key: "hop:c:1", Data: []byte("y")})
	if !errors.Is(err, store.ErrEmptyPassphrase) {
		t.Errorf("Set under an empty passphrase: %v, want ErrEmptyPassphrase", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "hop:c:1")); err == nil {
		t.Error("an item was written")
	}
	// The right passphrase still writes, past the damaged item.
	if err := fileStore(t, dir, "right").Set(keyring.Item{Key: "hop:c:1", Data: []byte("y")}); err != nil {
		t.Errorf("Set under the right passphrase: %v", err)
	}
}

// TestFileStoreReadsAreBounded: an oversized item fails at once, and Peek
// misses it.
func TestFileStoreReadsAreBounded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keyring")
	kr := fileStore(t, dir, "pass")
	if err := kr.Set(keyring.Item{Key: "hop:ok:1", Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "hop:big:1"), bytes.Repeat([]byte("A"), 2<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	unreadable(t, kr, dir, "hop:big:1", store.ErrFileTooLarge)
}

// unreadable checks that reading key fails with want, promptly, and that
// Peek misses it.
func unreadable(t *testing.T, kr keyring.Keyring, dir, key string, want error) {
	t.Helper()
	getenv := func(k string) string {
		return map[string]string{"HOP_BACKEND": "file", "HOP_FILE_DIR": dir, "HOP_FILE_PASSPHRASE": "pass"}[k]
	}
	done := make(chan error, 1)
	go func() {
		_, err := kr.Get(key)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, want) {
			t.Errorf("Get(%s) = %v, want %v", key, err, want)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("Get(%s) still reading after 20s", key)
	}
	if _, ok := store.Peek(key, getenv); ok {
		t.Errorf("Peek found %s", key)
	}
}

// TestJOSELibraryIsFixed: the JOSE library the keyring library links
// bounds the PBES2 count (CVE-2023-50658, fixed in 1.6.0).
func TestJOSELibraryIsFixed(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build information")
	}
	for _, m := range info.Deps {
		if m.Path == "github.com/dvsekhvalnov/jose2go" {
			var major, minor int
			if _, err := fmt.Sscanf(m.Version, "v%d.%d", &major, &minor); err != nil || major < 1 || (major == 1 && minor < 6) {
				t.Errorf("jose2go %s is linked; CVE-2023-50658 is fixed in v1.6.0", m.Version)
			}
		}
	}
}
