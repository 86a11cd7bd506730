// Package tty is hop's one way to the user's terminal: every question
// (an MFA code, a passphrase, a key, yes or no) is asked through
// Terminal.Ask, which reads with the terminal quiet so nothing typed ahead
// shows or reaches the shell, and the terminal is lent to a child or to
// the picker from here. It opens /dev/tty, or the console on Windows, so
// questions reach the user when stdin and stdout are redirected.
package tty

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// Terminal is the user's terminal, for questions that must reach the
// user even when stdin and stdout are redirected, and for lending to a
// child or a picker. Every question hop asks goes through its Ask.
type Terminal struct {
	in, out *os.File
}

// Open opens the user's terminal: /dev/tty, or on Windows the console
// (CONIN$ and CONOUT$). ok is false when there is none.
func Open() (t *Terminal, ok bool) {
	in, out, err := open()
	if err != nil {
		return nil, false
	}
	return &Terminal{in: in, out: out}, true
}

// Close closes the terminal.
func (t *Terminal) Close() error {
	err := t.in.Close()
	if t.out != t.in {
		if cerr := t.out.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// In is where the terminal's keys are read; Out is where it is drawn. On
// Unix they are the same file.
func (t *Terminal) In() *os.File  { return t.in }
func (t *Terminal) Out() *os.File { return t.out }

// Write writes p to the terminal, for a word between questions.
func (t *Terminal) Write(p []byte) (int, error) { return t.out.Write(p) }

// Available says whether there is a terminal to ask on.
func Available() bool {
	t, ok := Open()
	if ok {
		t.Close()
	}
	return ok
}

// Ask prints prompt and reads a line: a visible answer shown as typed and
// trimmed, a secret unseen and as typed. The terminal never echoes by
// itself while hop asks; hop shows a visible answer itself, up to its
// newline only, so a secret pasted with it, or typed ahead, never
// appears. A stop (Ctrl-Z, then fg) gives the terminal back as it was
// while hop is stopped, and takes it again after. A signal or ctx ending
// returns its cause with the terminal as it was. Whatever went wrong,
// what was typed ahead is dropped: a secret meant for the next question
// must not reach the shell.
//
// ctx is the caller's to end on a signal: hop has one watch on signals,
// which sets the cause its exit status is made from.
func (t *Terminal) Ask(ctx context.Context, prompt string, secret bool) (string, error) {
	line, err := t.readLine(ctx, prompt, secret)
	switch {
	case ctx.Err() != nil:
		t.DiscardTypeAhead()
		return "", context.Cause(ctx)
	case err != nil:
		t.DiscardTypeAhead()
		return "", fmt.Errorf("reading the terminal: %w", err)
	case secret:
		return line, nil
	}
	return strings.TrimSpace(line), nil
}

// Confirm asks a yes/no question; only "y" or "yes" is yes.
func (t *Terminal) Confirm(ctx context.Context, question string) (bool, error) {
	a, err := t.Ask(ctx, question+" [y/N] ", false)
	if err != nil {
		return false, err
	}
	a = strings.ToLower(a)
	return a == "y" || a == "yes", nil
}
