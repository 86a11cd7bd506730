package store

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mtibben/percent"
)

// PeekStoredKeys lists the file store once for many questions; each answer
// must still be the one Holds gives by looking the key up on its own.
func TestPeekStoredKeysAnswersAsHolds(t *testing.T) {
	dir := t.TempDir()
	getenv := func(name string) string {
		switch name {
		case "HOP_BACKEND":
			return "file"
		case "HOP_FILE_DIR":
			return dir
		}
		return ""
	}
	item := func(profile string) string {
		return filepath.Join(dir, percent.Encode(StoredKeyItem(profile), "/"))
	}
	for _, profile := range []string{"kept", "a/b", "ünï 1", "50%2Foff", "also-kept"} {
		if err := os.WriteFile(item(profile), []byte("sealed"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Listed, but a stat finds nothing: a link to nowhere.
	if err := os.Symlink(filepath.Join(dir, "nowhere"), item("dangling")); err != nil {
		t.Fatal(err)
	}
	profiles := []string{"missing", "kept", "a/b", "ünï 1", "50%2Foff", "50/off", "dangling", "other", "also-kept", "kept"}
	holds := PeekStoredKeys(getenv)
	for _, profile := range profiles {
		if got, want := holds(profile), Holds(StoredKeyItem(profile), getenv); got != want {
			t.Errorf("PeekStoredKeys(%q) = %v, Holds says %v", profile, got, want)
		}
	}
	// The store's directory does not exist yet: nothing is held.
	getenvNone := func(name string) string {
		if name == "HOP_FILE_DIR" {
			return filepath.Join(dir, "none")
		}
		return getenv(name)
	}
	holds = PeekStoredKeys(getenvNone)
	for _, profile := range profiles {
		if holds(profile) {
			t.Errorf("PeekStoredKeys(%q) is true with no store directory", profile)
		}
	}
}
