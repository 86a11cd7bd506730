package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/untrusted"
)

// RotateCmd replaces a stored key with a new one, in IAM and the keyring.
type RotateCmd struct {
	Profile  string  `arg:"" help:"Profile whose stored key to rotate." predictor:"profile"`
	MFAToken mfaCode `name:"mfa-token" short:"t" help:"MFA code for the session the rotation is made through (otherwise hop asks on the terminal)."`
}

func (c *RotateCmd) Run(ctx context.Context, g *Globals) error {
	cfg, err := g.config(ctx)
	if err != nil {
		return err
	}
	chain, err := creds.Resolve(cfg, c.Profile)
	if err != nil {
		return err
	}
	f, err := g.newFetcher(ctx, loginFlags{}, string(c.MFAToken))
	if err != nil {
		return err
	}
	ctx, stop := interruptible(ctx)
	defer stop()
	r, err := f.Rotate(ctx, chain)
	if err != nil {
		return err
	}
	how := "rotated profile %s's key"
	if r.Resumed {
		how = "finished the rotation of profile %s's key that had stopped"
	}
	fmt.Fprintf(os.Stderr, "hop: "+how+": %s is stored and works; %s is deleted in IAM\n", c.Profile, r.New, r.Old)
	if len(r.Profiles) > 1 {
		fmt.Fprintf(os.Stderr, "hop: profile(s) %s stored the same key, and store the new one too\n", untrusted.Text(strings.Join(r.Profiles[1:], ", ")))
	}
	return nil
}
