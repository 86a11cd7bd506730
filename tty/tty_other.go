//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package tty

import (
	"context"
	"fmt"
	"strings"

	"golang.org/x/term"
)

// readLine reads a line, the terminal's echo off for a secret. A blocked
// read cannot be interrupted: on ctx ending it is abandoned (hop is on its
// way out) and the terminal put back as it was.
func (t *Terminal) readLine(ctx context.Context, prompt string, secret bool) (string, error) {
	fd := int(t.in.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("reading the terminal's settings: %w", err)
	}
	fmt.Fprint(t.out, prompt)
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
			fmt.Fprintln(t.out)
		}
		return a.line, a.err
	case <-ctx.Done():
		term.Restore(fd, state)
		fmt.Fprintln(t.out)
		return "", context.Cause(ctx)
	}
}

// readVisible reads up to a newline a byte at a time, so nothing typed
// ahead for the next question is swallowed by a buffer.
func (t *Terminal) readVisible() (string, error) {
	var b strings.Builder
	buf := make([]byte, 1)
	for {
		n, err := t.in.Read(buf)
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

// DiscardTypeAhead is left to the terminal here.
func (t *Terminal) DiscardTypeAhead() {}
