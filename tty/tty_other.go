//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package cli

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/term"
)

// readLine reads a line, the terminal's echo off for a secret. A blocked
// read cannot be interrupted: on ctx ending it is abandoned (hop is on its
// way out) and the terminal put back as it was.
func (t *terminal) readLine(ctx context.Context, prompt string, secret bool) (string, error) {
	fd := int(t.f.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("reading the terminal's settings: %w", err)
	}
	fmt.Fprint(t.f, prompt)
	type answer struct {
		line string
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		var a answer
		if secret {
			var b []byte
			b, a.err = term.ReadPassword(fd)
			a.line = string(b)
		} else {
			a.line, a.err = t.readVisible()
		}
		got <- a
	}()
	select {
	case a := <-got:
		if secret {
			fmt.Fprintln(t.f)
		}
		return a.line, a.err
	case <-ctx.Done():
		term.Restore(fd, state)
		fmt.Fprintln(t.f)
		return "", context.Cause(ctx)
	}
}

// readVisible reads up to a newline a byte at a time, so nothing typed
// ahead for the next question is swallowed by a buffer.
func (t *terminal) readVisible() (string, error) {
	var b strings.Builder
	buf := make([]byte, 1)
	for {
		n, err := t.f.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				return strings.TrimSuffix(b.String(), "\r"), nil
			}
			b.WriteByte(buf[0])
		}
		if err != nil {
			return b.String(), err
		}
	}
}

// discardTypeAhead is left to the terminal here.
func (t *terminal) discardTypeAhead() {}
