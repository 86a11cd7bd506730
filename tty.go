package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

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

// openTTY opens the terminal itself, never stdin or stdout, so prompts
// work while those are piped.
func openTTY() (*os.File, error) {
	return os.OpenFile("/dev/tty", os.O_RDWR, 0)
}

// promptMFA asks for a code on the terminal until it gets six digits.
func promptMFA(ctx context.Context, profile, serial string) (string, error) {
	tty, err := openTTY()
	if err != nil {
		return "", fmt.Errorf("an MFA code for %s is needed and there is no terminal to ask on; pass --mfa-token", untrusted.Text(serial))
	}
	defer tty.Close()
	in := bufio.NewReader(tty)
	readLine := func() (string, error) {
		line, err := in.ReadString('\n')
		if err != nil {
			return "", fmt.Errorf("reading the MFA code: %w", err)
		}
		return strings.TrimSpace(line), nil
	}
	for try := 1; ; try++ {
		fmt.Fprintf(tty, "MFA code for %s (profile %s): ", untrusted.Text(serial), untrusted.Text(profile))
		code, err := readTTY(ctx, tty, readLine)
		if err != nil {
			return "", err
		}
		err = fetch.CheckMFACode(code)
		if err == nil {
			return code, nil
		}
		if try == promptTries {
			return "", fmt.Errorf("no MFA code for %s after %d tries: %w", untrusted.Text(serial), promptTries, err)
		}
		fmt.Fprintf(tty, "hop: %v; try again\n", err)
	}
}

// filePassphrase unlocks the file keyring with held (HOP_FILE_PASSPHRASE)
// or, when that is empty, a passphrase typed on the terminal with echo
// off. It refuses an empty one.
func filePassphrase(ctx context.Context, held, prompt string) (string, error) {
	if held != "" {
		return held, nil
	}
	tty, err := openTTY()
	if err != nil {
		return "", errors.New("the file keyring needs a passphrase: set HOP_FILE_PASSPHRASE or run hop from a terminal")
	}
	defer tty.Close()
	readSecret := func() (string, error) {
		p, err := term.ReadPassword(int(tty.Fd()))
		fmt.Fprintln(tty)
		if err != nil {
			return "", fmt.Errorf("reading the passphrase: %w", err)
		}
		return string(p), nil
	}
	for try := 1; ; try++ {
		fmt.Fprintf(tty, "%s: ", untrusted.Text(prompt))
		p, err := readTTY(ctx, tty, readSecret)
		if err != nil {
			return "", err
		}
		if p != "" {
			return p, nil
		}
		if try == promptTries {
			return "", fmt.Errorf("no passphrase after %d tries: %w (type one, or set HOP_FILE_PASSPHRASE)", promptTries, errEmptyPassphrase)
		}
		fmt.Fprintln(tty, "hop: the passphrase cannot be empty; try again")
	}
}

// readTTY runs read, which blocks on the terminal, until it answers or
// ctx ends. A signal cannot interrupt a blocked read, so on the latter
// read is abandoned (hop is on its way out), the terminal is put back as
// it was (echo on again), and the signal is returned.
func readTTY(ctx context.Context, tty *os.File, read func() (string, error)) (string, error) {
	fd := int(tty.Fd())
	state, stateErr := term.GetState(fd)
	type answer struct {
		text string
		err  error
	}
	answered := make(chan answer, 1)
	go func() {
		text, err := read()
		answered <- answer{text, err}
	}()
	select {
	case a := <-answered:
		return a.text, a.err
	case <-ctx.Done():
		if stateErr == nil {
			term.Restore(fd, state)
		}
		fmt.Fprintln(tty)
		return "", context.Cause(ctx)
	}
}

// hasTerminal says whether hop has a terminal to ask on.
func hasTerminal() bool {
	tty, err := openTTY()
	if err != nil {
		return false
	}
	tty.Close()
	return true
}
