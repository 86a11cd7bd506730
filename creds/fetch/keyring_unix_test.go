//go:build unix

package fetch

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/99designs/keyring"
	"github.com/hop-cli/hop/creds/store"
	"golang.org/x/sys/unix"
)

// TestFileStoreRefusesAFIFO: a FIFO planted at an item's path fails at
// once rather than blocking the read, and Peek misses it.
func TestFileStoreRefusesAFIFO(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keyring")
	kr := fileStore(t, dir, "pass")
	if err := kr.Set(keyring.Item{Key: "hop:ok:1", Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "hop:fifo:1")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// Should a read block, a writer ends it, so the test fails rather
	// than hangs.
	t.Cleanup(func() {
		if f, err := os.OpenFile(fifo, os.O_RDWR|unix.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	unreadable(t, kr, dir, "hop:fifo:1", store.ErrNotRegularFile)
}
