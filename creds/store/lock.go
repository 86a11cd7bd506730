package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// Locks serialises work that several hop processes would otherwise repeat:
// a browser login, a token refresh, a chain's cache fill. The kernel drops a
// flock when its holder dies, so a crashed hop never blocks the next one.
type Locks struct {
	Dir string
	// Notify is where a waiting process says what it waits for.
	Notify io.Writer
}

// LocksFor keeps lock files in hop's cache directory.
func LocksFor(getenv func(string) string, notify io.Writer) Locks {
	base := getenv("XDG_CACHE_HOME")
	if base == "" {
		home := getenv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		base = filepath.Join(home, ".cache")
	}
	return Locks{Dir: filepath.Join(base, "hop", "locks"), Notify: notify}
}

// Acquire takes the named lock, waiting at most wait. what describes the
// work for the waiting message.
func (l Locks) Acquire(ctx context.Context, name, what string, wait time.Duration) (release func(), err error) {
	if err := os.MkdirAll(l.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating lock directory %s: %w", l.Dir, err)
	}
	path := filepath.Join(l.Dir, name+".lock")
	// A link planted at a lock's path is refused, not followed: the lock
	// file would be created, or locked, wherever it points.
	fl := flock.New(path, flock.SetPermissions(0o600), flock.SetFlag(os.O_CREATE|os.O_RDONLY|openNoFollow))
	ok, err := fl.TryLock()
	if err != nil {
		if info, lerr := os.Lstat(path); lerr == nil && info.Mode()&os.ModeSymlink != 0 {
			return nil, fmt.Errorf("lock file %s is a symbolic link, which hop does not follow; remove it", path)
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	if !ok {
		if l.Notify != nil {
			fmt.Fprintf(l.Notify, "hop: waiting for another hop process that is %s\n", what)
		}
		waitCtx, cancel := context.WithTimeout(ctx, wait)
		defer cancel()
		ok, err = fl.TryLockContext(waitCtx, 50*time.Millisecond)
		if !ok {
			if errors.Is(err, context.DeadlineExceeded) {
				return nil, fmt.Errorf("gave up after %s waiting for another hop process that is %s (lock %s); if no hop is running, try again", wait, what, path)
			}
			if errors.Is(err, context.Canceled) {
				return nil, fmt.Errorf("interrupted while waiting for another hop process that is %s: %w", what, err)
			}
			return nil, fmt.Errorf("waiting for lock %s: %w", path, err)
		}
	}
	return func() { fl.Unlock() }, nil
}
