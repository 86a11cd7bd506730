package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"strings"
	"time"

	"github.com/hop-cli/hop/creds"
)

// mfaProcessLimit bounds mfa_process, which may wait for a touch on a
// hardware key.
const mfaProcessLimit = 2 * time.Minute

// mfaCode gets a code for serial on h's behalf: --mfa-token first, then
// the profile's mfa_process (aws-vault's setting: a command that prints
// the code), then the terminal. A code that is not six digits never
// reaches STS.
func (f *Fetcher) mfaCode(h *creds.Hop, serial string) func() (string, error) {
	return func() (string, error) {
		var (
			code string
			err  error
		)
		if profile, command := f.mfaProcess(h); command != "" && f.opts.MFAToken == "" {
			code, err = f.runMFAProcess(profile, command)
		} else {
			// The prompt names what it is given: the serial, and which
			// profile wants the code, since one device serves many.
			asked := *h
			asked.MFASerial = serial + " (profile " + h.Profile + ")"
			code, err = f.mfaToken(&asked)()
		}
		if err != nil {
			return "", err
		}
		if !sixDigits(code) {
			return "", fmt.Errorf("profile %s: the MFA code for %s must be six digits", h.Profile, serial)
		}
		return code, nil
	}
}

// mfaProcess finds the mfa_process that answers for h: its profile's, or
// for a stored key's session whose serial the first role set, that
// role's.
func (f *Fetcher) mfaProcess(h *creds.Hop) (profile, command string) {
	names := []string{h.Profile}
	if hops := f.chain.Hops; h.Kind == creds.KindStored && len(hops) > 1 {
		names = append(names, hops[1].Profile)
	}
	for _, name := range names {
		if p, ok := f.chain.Config.Profile(name); ok && p.Get("mfa_process") != "" {
			return name, p.Get("mfa_process")
		}
	}
	return "", ""
}

// runMFAProcess runs command through the shell, as aws-vault does, and
// returns what it printed. Its stderr is the user's, for a "touch your
// key" message; passphrases stay out of its environment.
func (f *Fetcher) runMFAProcess(profile, command string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), mfaProcessLimit)
	defer cancel()
	cmd := osexec.CommandContext(ctx, "/bin/sh", "-c", command)
	cmd.Env = withoutPassphrases(os.Environ())
	cmd.Stderr = f.opts.Stderr
	var out bytes.Buffer
	cmd.Stdout = &out
	f.debugf("profile %s: running mfa_process", profile)
	if err := cmd.Run(); err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("no code within %s", mfaProcessLimit)
		}
		return "", fmt.Errorf("profile %s: mfa_process: %w; fix the command or pass --mfa-token", profile, err)
	}
	code := strings.TrimSpace(out.String())
	if !sixDigits(code) {
		// What it printed is not echoed: it may be anything.
		return "", fmt.Errorf("profile %s: mfa_process printed something other than a six-digit code; it must print only the code", profile)
	}
	return code, nil
}

func sixDigits(code string) bool {
	if len(code) != 6 {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// withoutPassphrases drops the keyring passphrases from an environment
// handed to a helper.
func withoutPassphrases(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if name == "HOP_FILE_PASSPHRASE" || name == "AWS_VAULT_FILE_PASSPHRASE" {
			continue
		}
		out = append(out, kv)
	}
	return out
}
