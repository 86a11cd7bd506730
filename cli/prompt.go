package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/exec"
	"github.com/hop-cli/hop/tty"
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

// ask is t.Ask, ended by a signal as every wait in hop is.
func ask(ctx context.Context, t *tty.Terminal, prompt string, secret bool) (string, error) {
	ctx, stop := interruptible(ctx)
	defer stop()
	return t.Ask(ctx, prompt, secret)
}

// confirm is t.Confirm, ended by a signal as every wait in hop is.
func confirm(ctx context.Context, t *tty.Terminal, question string) (bool, error) {
	ctx, stop := interruptible(ctx)
	defer stop()
	return t.Confirm(ctx, question)
}

// promptMFA asks for a code on the terminal until it gets six digits. The
// code is not shown, as the AWS CLI does not show it: it is a credential
// while it lasts.
func promptMFA(ctx context.Context, profile, serial string) (string, error) {
	t, ok := tty.Open()
	if !ok {
		return "", fmt.Errorf("an MFA code for %s is needed and there is no terminal to ask on; pass --mfa-token", untrusted.Text(serial))
	}
	defer t.Close()
	prompt := fmt.Sprintf("MFA code for %s (profile %s): ", untrusted.Text(serial), untrusted.Text(profile))
	for try := 1; ; try++ {
		code, err := ask(ctx, t, prompt, true)
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
		fmt.Fprintf(t, "hop: %v; try again\n", err)
	}
}

// filePassphrase unlocks the file keyring with held (HOP_FILE_PASSPHRASE)
// or, when that is empty, a passphrase typed on the terminal with echo
// off. It refuses an empty one.
func filePassphrase(ctx context.Context, held, prompt string) (string, error) {
	if held != "" {
		return held, nil
	}
	t, ok := tty.Open()
	if !ok {
		return "", errors.New("the file keyring needs a passphrase: set HOP_FILE_PASSPHRASE or run hop from a terminal")
	}
	defer t.Close()
	for try := 1; ; try++ {
		p, err := ask(ctx, t, untrusted.Text(prompt)+": ", true)
		if err != nil {
			return "", fmt.Errorf("reading the passphrase: %w", err)
		}
		if p != "" {
			return p, nil
		}
		if try == promptTries {
			return "", fmt.Errorf("no passphrase after %d tries: %w (type one, or set HOP_FILE_PASSPHRASE)", promptTries, errEmptyPassphrase)
		}
		fmt.Fprintln(t, "hop: the passphrase cannot be empty; try again")
	}
}
