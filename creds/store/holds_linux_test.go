package store

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// PeekStoredKeys lists the kernel keyring once for many questions; each
// answer must still be the one Holds gives by searching for the key on
// its own. The items are the test's own, in hop's shared keyring.
func TestPeekStoredKeysAnswersAsHoldsInKeyctl(t *testing.T) {
	ring, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", Name, 0)
	if err != nil {
		if ring, err = unix.AddKey("keyring", Name, nil, unix.KEY_SPEC_USER_KEYRING); err != nil {
			t.Skipf("no kernel keyring here: %v", err)
		}
	}
	getenv := func(name string) string {
		if name == "HOP_BACKEND" {
			return "keyctl"
		}
		return ""
	}
	tag := fmt.Sprintf("holds-test-%d-", os.Getpid())
	for _, profile := range []string{"kept", "a;b", "ünï 1", "also-kept"} {
		id, err := unix.AddKey("user", StoredKeyItem(tag+profile), []byte("sealed"), ring)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { unix.KeyctlInt(unix.KEYCTL_UNLINK, id, ring, 0, 0) })
	}
	// A key of another type, named as an item would be.
	id, err := unix.AddKey("keyring", StoredKeyItem(tag+"a-keyring"), nil, ring)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.KeyctlInt(unix.KEYCTL_UNLINK, id, ring, 0, 0) })
	if items := keyctlItems(); items == nil || !items[StoredKeyItem(tag+"a;b")] || items[StoredKeyItem(tag+"a-keyring")] {
		t.Fatalf("keyctlItems = %d items, nil %v: the listing is not what the test is about", len(items), items == nil)
	}
	holds := PeekStoredKeys(getenv)
	held := 0
	for _, profile := range []string{"missing", "kept", "a;b", "ünï 1", "a-keyring", "other", "also-kept", "kept"} {
		got, want := holds(tag+profile), Holds(StoredKeyItem(tag+profile), getenv)
		if got != want {
			t.Errorf("PeekStoredKeys(%q) = %v, Holds says %v", profile, got, want)
		}
		if got {
			held++
		}
	}
	if held != 5 {
		t.Errorf("%d answers were true, want 5", held)
	}
}
