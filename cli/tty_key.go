package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"
)

// errInterrupted is a question on the terminal cut short by Ctrl-C.
var errInterrupted = errors.New("interrupted")

// terminal is /dev/tty, for questions that must reach the user even when
// stdin and stdout are redirected.
type terminal struct {
	f *os.File
}

// openTerminal opens /dev/tty; ok is false when there is none.
func openTerminal() (*terminal, bool) {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, false
	}
	return &terminal{f}, true
}

func (t *terminal) Close() error { return t.f.Close() }

// ask prints prompt and reads a line, echoing it unless secret. Ctrl-C
// (or ctx ending) returns errInterrupted with the terminal as it was:
// reading with echo off must never leave the user's terminal mute.
func (t *terminal) ask(ctx context.Context, prompt string, secret bool) (string, error) {
	fd := int(t.f.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("reading the terminal's settings: %w", err)
	}
	ctx, stop := interruptible(ctx)
	defer stop()
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
			fmt.Fprintln(t.f)
		} else {
			a.line, a.err = t.readLine()
		}
		got <- a
	}()
	select {
	case a := <-got:
		if a.err != nil {
			return "", fmt.Errorf("reading the terminal: %w", a.err)
		}
		return strings.TrimSpace(a.line), nil
	case <-ctx.Done():
		term.Restore(fd, state)
		fmt.Fprintln(t.f)
		return "", errInterrupted
	}
}

// readLine reads up to a newline a byte at a time, so nothing typed
// ahead for the next question is swallowed by a buffer.
func (t *terminal) readLine() (string, error) {
	var b strings.Builder
	buf := make([]byte, 1)
	for {
		n, err := t.f.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				return b.String(), nil
			}
			b.WriteByte(buf[0])
		}
		if err != nil {
			return b.String(), err
		}
	}
}

// confirm asks a yes/no question; only "y" or "yes" is yes.
func (t *terminal) confirm(ctx context.Context, question string) (bool, error) {
	a, err := t.ask(ctx, question+" [y/N] ", false)
	if err != nil {
		return false, err
	}
	a = strings.ToLower(a)
	return a == "y" || a == "yes", nil
}
