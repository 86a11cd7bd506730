package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// flock locks belong to an open file, not a process, so two Acquires in one
// process contend exactly as two hop processes do.

func TestLockWaitIsBounded(t *testing.T) {
	var notes bytes.Buffer
	l := Locks{Dir: filepath.Join(t.TempDir(), "locks"), Notify: &notes}
	ctx := t.Context()
	release, err := l.Acquire(ctx, "sso-x", "signing in to https://corp.example/start", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if notes.Len() != 0 {
		t.Errorf("an uncontended lock said %q", notes.String())
	}

	_, err = l.Acquire(ctx, "sso-x", "signing in to https://corp.example/start", 200*time.Millisecond)
	if err == nil {
		t.Fatal("a held lock was taken twice")
	}
	for _, want := range []string{"gave up after 200ms", "another hop process that is signing in to https://corp.example/start", filepath.Join(l.Dir, "sso-x.lock")} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("timeout error %q does not say %q", err, want)
		}
	}
	if got := notes.String(); got != "hop: waiting for another hop process that is signing in to https://corp.example/start\n" {
		t.Errorf("waiting note %q", got)
	}

	// Other names are independent.
	other, err := l.Acquire(ctx, "session-y", "fetching credentials for profile y", 200*time.Millisecond)
	if err != nil {
		t.Fatalf("an unrelated lock: %v", err)
	}
	other()
}

// waiting signals once a waiter has announced itself.
type waiting chan struct{}

func (w waiting) Write(p []byte) (int, error) {
	close(w)
	return len(p), nil
}

func TestLockIsHandedOver(t *testing.T) {
	w := make(waiting)
	l := Locks{Dir: t.TempDir(), Notify: w}
	release, err := l.Acquire(t.Context(), "n", "working", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		r, err := l.Acquire(t.Context(), "n", "working", time.Minute)
		if err == nil {
			r()
		}
		got <- err
	}()
	<-w
	release()
	if err := <-got; err != nil {
		t.Errorf("the waiter did not get the released lock: %v", err)
	}
}

func TestLockWaitEndsWithTheContext(t *testing.T) {
	l := Locks{Dir: t.TempDir()}
	release, err := l.Acquire(t.Context(), "n", "working", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	w := make(waiting)
	waiter := Locks{Dir: l.Dir, Notify: w}
	ctx, cancel := context.WithCancel(t.Context())
	got := make(chan error, 1)
	go func() {
		_, err := waiter.Acquire(ctx, "n", "working", time.Hour)
		got <- err
	}()
	<-w
	cancel()
	err = <-got
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "interrupted while waiting for another hop process that is working") {
		t.Errorf("cancelled wait returned %v, want context.Canceled saying what it waited for", err)
	}
}

func TestLockFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "locks")
	l := Locks{Dir: dir}
	release, err := l.Acquire(t.Context(), "n", "working", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	release()
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Dir(dir): 0o700, filepath.Join(dir, "n.lock"): 0o600} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s has mode %v, want %v", path, got, want)
		}
	}
}

// TestLockFileLinkIsNotFollowed: a link planted at a lock's path is
// refused, and its target neither created nor locked.
func TestLockFileLinkIsNotFollowed(t *testing.T) {
	l := Locks{Dir: t.TempDir()}
	target := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Symlink(target, filepath.Join(l.Dir, "n.lock")); err != nil {
		t.Fatal(err)
	}
	release, err := l.Acquire(t.Context(), "n", "working", time.Second)
	if err == nil {
		release()
		t.Fatal("a lock was taken through a link")
	}
	if !strings.Contains(err.Error(), "is a symbolic link") {
		t.Errorf("error %q does not say the lock file is a link", err)
	}
	if _, err := os.Lstat(target); err == nil {
		t.Error("the link's target was created")
	}
}
