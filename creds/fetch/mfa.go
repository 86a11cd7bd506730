package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hop-cli/hop/creds"
)

// mfaProcessLimit bounds mfa_process, which may wait for a touch on a
// hardware key.
const mfaProcessLimit = 2 * time.Minute

// mfaCode gets a code for serial on h's behalf: --mfa-token first, then
// the profile's mfa_process (aws-vault's setting: a command that prints
// the code), then the terminal. Each checks the code is six digits, so
// nothing else reaches STS.
func (f *Fetcher) mfaCode(h *creds.Hop, serial string) func() (string, error) {
	return func() (string, error) {
		if profile, command := f.mfaProcess(h); command != "" && f.opts.MFAToken == "" {
			return f.runMFAProcess(profile, command)
		}
		return f.mfaToken(h, serial)()
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
	cmd := shellCommand(ctx, command)
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
	if CheckMFACode(code) != nil {
		// What it printed is not echoed: it may be anything.
		return "", fmt.Errorf("profile %s: mfa_process printed something other than a six-digit code; it must print only the code", profile)
	}
	return code, nil
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
