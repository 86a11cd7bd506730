package fetch

import (
	"fmt"
	"io"
	"sync"

	"github.com/hop-cli/hop/untrusted"
)

// statusWriter is the Fetcher's stderr, the one way its messages reach the
// user. Every message passes the untrusted filter, keeping its newlines:
// messages quote start URLs, user codes and errors from servers. A
// transient progress line (the sign-in countdown) is erased before any
// message, so the two never share a line.
type statusWriter struct {
	mu      sync.Mutex
	w       io.Writer
	showing bool // a progress line is on screen
}

func (s *statusWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.erase()
	if _, err := io.WriteString(s.w, untrusted.Lines(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// progress replaces the progress line with a new one: a single line, as
// carriage return and erase redraw it in place.
func (s *statusWriter) progress(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.w, "\r\033[K%s", untrusted.Text(fmt.Sprintf(format, args...)))
	s.showing = true
}

// clearProgress erases the progress line, if one shows.
func (s *statusWriter) clearProgress() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.erase()
}

func (s *statusWriter) erase() {
	if s.showing {
		io.WriteString(s.w, "\r\033[K")
		s.showing = false
	}
}
