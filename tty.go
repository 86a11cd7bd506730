package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/hop-cli/hop/creds/fetch"
)

// promptMFA asks for a code on the terminal itself, never on stdout, so it
// works while stdout is piped.
func promptMFA(serial string) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", fmt.Errorf("an MFA code for %s is needed and there is no terminal to ask on; pass --mfa-token", serial)
	}
	defer tty.Close()
	fmt.Fprintf(tty, "MFA code for %s: ", serial)
	line, err := bufio.NewReader(tty).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("reading the MFA code: %w", err)
	}
	return strings.TrimSpace(line), nil
}

// envPassphrase unlocks the file keyring from HOP_FILE_PASSPHRASE only, for
// a fetch nobody is there to type it for.
func envPassphrase(string) (string, error) {
	if p := os.Getenv("HOP_FILE_PASSPHRASE"); p != "" {
		return p, nil
	}
	return "", fmt.Errorf("the file keyring %w to type its passphrase", fetch.ErrNeedsPerson)
}

// filePassphrase unlocks the file keyring from HOP_FILE_PASSPHRASE or, when
// it is unset, a prompt on the terminal with echo off.
func filePassphrase(prompt string) (string, error) {
	if p := os.Getenv("HOP_FILE_PASSPHRASE"); p != "" {
		return p, nil
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", errors.New("the file keyring needs a passphrase: set HOP_FILE_PASSPHRASE or run hop from a terminal")
	}
	defer tty.Close()
	fmt.Fprintf(tty, "%s: ", prompt)
	p, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", fmt.Errorf("reading the passphrase: %w", err)
	}
	return string(p), nil
}
