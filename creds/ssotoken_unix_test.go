//go:build unix

package creds

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/store"
	"golang.org/x/sys/unix"
)

// unblockFIFO ends any read waiting on the FIFO at path when the test
// ends, so a regression fails the test instead of hanging it.
func unblockFIFO(t *testing.T, path string) {
	t.Cleanup(func() {
		if f, err := os.OpenFile(path, os.O_RDWR|unix.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
}

// TestTokenCacheFIFOFailsAtOnce: a FIFO planted at the token cache path is
// refused at once with a message naming it, rather than read forever.
func TestTokenCacheFIFOFailsAtOnce(t *testing.T) {
	cache := TokenCache{Dir: t.TempDir()}
	s := &config.SSOSettings{Session: "corp", StartURL: "https://corp.example/start"}
	if err := unix.Mkfifo(cache.Path(s), 0o600); err != nil {
		t.Fatal(err)
	}
	unblockFIFO(t, cache.Path(s))
	done := make(chan error, 1)
	go func() {
		_, err := cache.Load(s)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, store.ErrNotRegularFile) || errors.Is(err, ErrInvalidToken) {
			t.Errorf("Load = %v, want a refusal that a new sign-in would not cure", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Load still reading the FIFO after 20s")
	}
}
