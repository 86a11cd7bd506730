package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/tty"
)

// RemoveCmd deletes a stored long-term key and the sessions made from it.
type RemoveCmd struct {
	Profile string `arg:"" help:"Profile whose stored key to delete." predictor:"profile"`
	Force   bool   `short:"f" help:"Delete without asking."`
}

func (c *RemoveCmd) Run(ctx context.Context, g *Globals) error {
	cfg, err := g.config(ctx)
	if err != nil {
		return err
	}
	f, err := g.newFetcher(ctx, loginFlags{}, "")
	if err != nil {
		return err
	}
	key, err := fetch.LoadKey(f.Keyring(), c.Profile)
	if errors.Is(err, fetch.ErrNoStoredKey) {
		return fmt.Errorf("profile %s has no stored key; 'hop list' shows the profiles that do", c.Profile)
	}
	if err != nil {
		return err
	}
	if !c.Force {
		term, ok := tty.Open()
		if !ok {
			return fmt.Errorf("profile %s: pass --force to delete its stored key %s without a terminal to ask on", c.Profile, creds.RedactKeyID(key.AccessKeyID))
		}
		defer term.Close()
		yes, err := confirm(ctx, term, fmt.Sprintf("Delete the key %s stored for profile %s, and its sessions? hop keeps no other copy.", creds.RedactKeyID(key.AccessKeyID), c.Profile))
		if err != nil || !yes {
			return keptKey(c.Profile, err)
		}
	}
	if err := fetch.RemoveKey(f.Keyring(), c.Profile); err != nil && !errors.Is(err, fetch.ErrNoStoredKey) {
		return err
	}
	// So is the key a stopped rotation kept beside it.
	if err := fetch.RemovePreviousKey(f.Keyring(), c.Profile); err != nil {
		return err
	}
	dropped, err := f.DropSessions(cfg, c.Profile)
	if err != nil {
		return fmt.Errorf("deleted profile %s's key, but not all its sessions: %w; run 'hop clear'", c.Profile, err)
	}
	fmt.Fprintf(os.Stderr, "hop: deleted the key %s stored for profile %s and %d session(s) made from it; the key itself still works in IAM until you deactivate it there\n", creds.RedactKeyID(key.AccessKeyID), c.Profile, dropped)
	return nil
}
