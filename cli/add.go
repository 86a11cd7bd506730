package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/creds/store"
	"github.com/hop-cli/hop/tty"
)

// AddCmd stores an IAM user's long-term key in the keyring.
type AddCmd struct {
	Profile string `arg:"" help:"Profile to store the key for (added to the config file if missing)." predictor:"profile"`
	Env     bool   `help:"Read the key from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead of asking."`
	Force   bool   `help:"Replace a stored key without asking."`
}

func (c *AddCmd) Run(ctx context.Context, g *Globals) error {
	if err := config.CheckProfileName(c.Profile); err != nil {
		return err
	}
	cfg, err := g.config(ctx)
	if err != nil {
		return err
	}
	if err := creds.StoredKeyConflict(cfg, c.Profile); err != nil {
		return err
	}
	f, err := g.newFetcher(ctx, loginFlags{}, "")
	if err != nil {
		return err
	}
	term, hasTTY := tty.Open()
	if hasTTY {
		defer term.Close()
	}
	old, err := fetch.LoadKey(f.Keyring(), c.Profile)
	switch {
	case errors.Is(err, fetch.ErrNoStoredKey):
	case err != nil:
		return err
	case c.Force:
	case !hasTTY:
		return fmt.Errorf("profile %s already has a stored key (%s); pass --force to replace it", c.Profile, creds.RedactKeyID(old.AccessKeyID))
	default:
		yes, err := confirm(ctx, term, fmt.Sprintf("Profile %s already has a stored key (%s). Replace it?", c.Profile, creds.RedactKeyID(old.AccessKeyID)))
		if err != nil || !yes {
			return keptKey(c.Profile, err)
		}
	}
	key, err := c.readKey(ctx, term, hasTTY)
	if err != nil {
		return keptKey(c.Profile, err)
	}
	if err := fetch.StoreKey(f.Keyring(), c.Profile, key); err != nil {
		return err
	}
	added := ""
	if _, ok := cfg.Profile(c.Profile); !ok {
		if err := config.AppendProfile(cfg.ConfigPath, c.Profile); err != nil {
			return fmt.Errorf("stored the key for profile %s, but %w; add the section by hand", c.Profile, err)
		}
		added = fmt.Sprintf(", and added it to %s", cfg.ConfigPath)
	}
	dropped, err := f.DropSessions(cfg, c.Profile)
	if err != nil {
		return fmt.Errorf("stored the key for profile %s, but sessions made from the old one remain: %w; run 'hop clear'", c.Profile, err)
	}
	fmt.Fprintf(os.Stderr, "hop: stored key %s for profile %s%s%s\n", creds.RedactKeyID(key.AccessKeyID), c.Profile, added, droppedNote(dropped))
	// The key a stopped rotation kept is superseded by the one added.
	if prev, err := fetch.LoadPreviousKey(f.Keyring(), c.Profile); err == nil && fetch.RemovePreviousKey(f.Keyring(), c.Profile) == nil {
		fmt.Fprintf(os.Stderr, "hop: dropped the key %s that a stopped rotation of profile %s had kept; if IAM still lists it and nothing uses it, delete it with 'aws iam delete-access-key --access-key-id %s'\n", prev.AccessKeyID, c.Profile, prev.AccessKeyID)
	}
	g.warnIfForgotten()
	return nil
}

// warnIfForgotten says when the store in use will not keep a long-term
// key: the kernel keyring is emptied at reboot.
func (g *Globals) warnIfForgotten() {
	if store.Order(g.Backend, os.Getenv)[0] == "keyctl" {
		fmt.Fprintln(os.Stderr, "hop: warning: the kernel keyring (keyctl) forgets the key at reboot; keep a copy elsewhere, or store it with --backend file (or HOP_BACKEND)")
	}
}

// readKey takes the key from the environment with --env, else from the
// terminal, the secret with echo off. There is deliberately no flag for
// the secret: it would show in ps and the shell's history.
func (c *AddCmd) readKey(ctx context.Context, term *tty.Terminal, hasTTY bool) (creds.LongTermKey, error) {
	var k creds.LongTermKey
	if c.Env {
		k = creds.LongTermKey{AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY")}
		if k.AccessKeyID == "" || k.SecretAccessKey == "" {
			return k, errors.New("--env needs both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set")
		}
	} else {
		if !hasTTY {
			return k, errors.New("there is no terminal to ask for the key on; run hop add from a terminal, or pass --env with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set")
		}
		var err error
		if k.AccessKeyID, err = ask(ctx, term, "Access key ID: ", false); err != nil {
			return k, err
		}
		if err := creds.CheckKeyID(k.AccessKeyID); err != nil {
			// The secret may have been pasted with the ID: it must not
			// reach the shell, which would show it and run it.
			term.DiscardTypeAhead()
			return k, err
		}
		// A secret pasted with the ID is used: it was never shown, as the
		// ID is read with the terminal's echo off.
		if k.SecretAccessKey, err = ask(ctx, term, "Secret access key: ", true); err != nil {
			return k, err
		}
		k.SecretAccessKey = strings.TrimSpace(k.SecretAccessKey)
	}
	return k, creds.CheckKey(k.AccessKeyID, k.SecretAccessKey)
}

// keptKey explains a question answered no, or cut short, when nothing was
// changed.
func keptKey(profile string, err error) error {
	if err == nil {
		return fmt.Errorf("nothing changed: profile %s keeps its stored key", profile)
	}
	return fmt.Errorf("%w; nothing stored or changed for profile %s", err, profile)
}

func droppedNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; dropped %d session(s) made from the old key", n)
}
