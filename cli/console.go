package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/hop-cli/hop/console"
	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/untrusted"
)

// ConsoleCmd opens the AWS console signed in as a profile.
type ConsoleCmd struct {
	Profile string       `arg:"" optional:"" help:"AWS profile to sign in as (default: pick one on the terminal)." predictor:"profile"`
	Service string       `help:"Console service page to open, e.g. s3 or ec2."`
	Print   bool         `help:"Print the sign-in URL instead of opening a browser."`
	Session sessionFlags `embed:""`
}

func (c *ConsoleCmd) Run(ctx context.Context, g *Globals) error {
	profile, err := g.profileOrPick(ctx, c.Profile, "console")
	if err != nil {
		return err
	}
	child, err := g.session(ctx, profile, c.Session)
	if err != nil {
		return err
	}
	url, err := console.SigninURL(ctx, fetch.NewHTTPClient(), console.Request{
		AccessKeyID:     child.AccessKeyID,
		SecretAccessKey: child.SecretAccessKey,
		SessionToken:    child.SessionToken,
		Region:          child.Region,
		Service:         c.Service,
		Federation:      os.Getenv("AWS_ENDPOINT_URL_SIGNIN"),
	})
	if err != nil {
		return fmt.Errorf("profile %s: %w", profile, err)
	}
	if c.Print {
		fmt.Println(url)
		return nil
	}
	if err := openBrowser(url); err != nil {
		return fmt.Errorf("could not open a browser (%v); run again with --print and open the URL yourself", err)
	}
	fmt.Fprintf(os.Stderr, "hop: opened the console for %s\n", untrusted.Text(profile))
	return nil
}
