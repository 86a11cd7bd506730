package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/exec"
	"github.com/hop-cli/hop/untrusted"
)

// promptTries is how many answers a prompt takes before it gives up.
const promptTries = 3

const passphraseVar = exec.PassphraseVar

// errEmptyPassphrase is a user's refusal to give the file keyring a
// passphrase: only empty answers at its prompt.
var errEmptyPassphrase = errors.New("the file keyring needs a passphrase that is not empty")

// takePassphrase returns HOP_FILE_PASSPHRASE, which the front hands
// hop-core through a pipe (exec.RunCore): hop-core's environment, which
// the processes it starts (a browser, a credential_process helper, the
// child) could read, never holds it. Set but empty is unset: an empty
// passphrase would make a keyring anyone can open.
func takePassphrase() string {
	p, err := exec.CorePassphrase()
	if err != nil {
		fmt.Fprintf(os.Stderr, "hop: %s\n", untrusted.Lines(err.Error()))
		os.Exit(1)
	}
	return p
}

// terminal is /dev/tty, for questions that must reach the user even when
// stdin and stdout are redirected. Every question hop asks goes through
// its ask.
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

// hasTerminal says whether hop has a terminal to ask on.
func hasTerminal() bool {
	t, ok := openTerminal()
	if ok {
		t.Close()
	}
	return ok
}

// ask prints prompt and reads a line: a visible answer shown as typed and
// trimmed, a secret unseen and as typed. The terminal never echoes by
// itself while hop asks; hop shows a visible answer itself, up to its
// newline only, so a secret pasted with it, or typed ahead, never
// appears. A stop (Ctrl-Z, then fg) gives the terminal back as it was
// while hop is stopped, and takes it again after. A signal or ctx ending
// returns its cause with the terminal as it was. Whatever went wrong,
// what was typed ahead is dropped: a secret meant for the next question
// must not reach the shell.
func (t *terminal) ask(ctx context.Context, prompt string, secret bool) (string, error) {
	ctx, stop := interruptible(ctx)
	defer stop()
	line, err := t.readLine(ctx, prompt, secret)
	switch {
	case ctx.Err() != nil:
		t.discardTypeAhead()
		return "", context.Cause(ctx)
	case err != nil:
		t.discardTypeAhead()
		return "", fmt.Errorf("reading the terminal: %w", err)
	case secret:
		return line, nil
	}
	return strings.TrimSpace(line), nil
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

// promptMFA asks for a code on the terminal until it gets six digits. The
// code is not shown, as the AWS CLI does not show it: it is a credential
// while it lasts.
func promptMFA(ctx context.Context, profile, serial string) (string, error) {
	tty, ok := openTerminal()
	if !ok {
		return "", fmt.Errorf("an MFA code for %s is needed and there is no terminal to ask on; pass --mfa-token", untrusted.Text(serial))
	}
	defer tty.Close()
	prompt := fmt.Sprintf("MFA code for %s (profile %s): ", untrusted.Text(serial), untrusted.Text(profile))
	for try := 1; ; try++ {
		code, err := tty.ask(ctx, prompt, true)
		if err != nil {
			return "", fmt.Errorf("reading the MFA code: %w", err)
		}
		code = strings.TrimSpace(code)
		err = fetch.CheckMFACode(code)
		if err == nil {
			return code, nil
		}
		if try == promptTries {
			return "", fmt.Errorf("no MFA code for %s after %d tries: %w", untrusted.Text(serial), promptTries, err)
		}
		fmt.Fprintf(tty.f, "hop: %v; try again\n", err)
	}
}

// filePassphrase unlocks the file keyring with held (HOP_FILE_PASSPHRASE)
// or, when that is empty, a passphrase typed on the terminal with echo
// off. It refuses an empty one.
func filePassphrase(ctx context.Context, held, prompt string) (string, error) {
	if held != "" {
		return held, nil
	}
	tty, ok := openTerminal()
	if !ok {
		return "", errors.New("the file keyring needs a passphrase: set HOP_FILE_PASSPHRASE or run hop from a terminal")
	}
	defer tty.Close()
	for try := 1; ; try++ {
		p, err := tty.ask(ctx, untrusted.Text(prompt)+": ", true)
		if err != nil {
			return "", fmt.Errorf("reading the passphrase: %w", err)
		}
		if p != "" {
			return p, nil
		}
		if try == promptTries {
			return "", fmt.Errorf("no passphrase after %d tries: %w (type one, or set HOP_FILE_PASSPHRASE)", promptTries, errEmptyPassphrase)
		}
		fmt.Fprintln(tty.f, "hop: the passphrase cannot be empty; try again")
	}
}
