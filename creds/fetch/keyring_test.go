package fetch

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/99designs/keyring"

	"github.com/hop-cli/hop/creds"
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

// TestPeekReadsWhatTheLibraryWrote: creds.Peek, which a warm exec uses
// instead of the keyring library, finds exactly the items the library
// stores, in the kernel keyring and in the file store, and misses whatever
// it cannot read without help.
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
			if _, ok := creds.Peek(key, getenv); ok {
				t.Fatalf("Peek found %s before it was stored", key)
			}
			if err := kr.Set(keyring.Item{Key: key, Data: data}); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { kr.Remove(key) })
			if got, ok := creds.Peek(key, getenv); !ok || string(got) != string(data) {
				t.Errorf("Peek = %q, %v; want %q as stored", got, ok, data)
			}
			if backend == "file" {
				env["HOP_FILE_PASSPHRASE"] = "wrong"
				if _, ok := creds.Peek(key, getenv); ok {
					t.Error("Peek read the file store with the wrong passphrase")
				}
				env["HOP_FILE_PASSPHRASE"] = ""
				if _, ok := creds.Peek(key, getenv); ok {
					t.Error("Peek read the file store without a passphrase")
				}
				env["HOP_FILE_PASSPHRASE"] = "pass"
			}
		})
	}
	env["HOP_BACKEND"] = ""
	env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent"
	if _, ok := creds.Peek(key, getenv); ok {
		t.Error("Peek answered although the first store would be the Secret Service")
	}
}
