package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/hop-cli/hop/console"
	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/exec"
	"github.com/hop-cli/hop/untrusted"
)

// ConsoleCmd opens the AWS console signed in as a profile.
type ConsoleCmd struct {
	Profile     string       `arg:"" optional:"" help:"AWS profile to sign in as (default: pick one on the terminal)." predictor:"profile"`
	Page        string       `arg:"" optional:"" help:"Console page to open: a service (s3, ec2) or a path (/s3/buckets)."`
	Service     string       `help:"Console service page to open, e.g. s3 or ec2."`
	Destination string       `help:"Console path to open, e.g. /s3/buckets or /ec2/home#Instances." placeholder:"PATH"`
	Browser     string       `help:"Where to open the console: default (the desktop's browser, one cookie jar for all accounts), chrome-profile (Chrome or Chromium with a data directory per profile) or firefox-container (a Firefox container per profile, through a container extension)." enum:"default,chrome-profile,firefox-container" default:"default" env:"HOP_BROWSER"`
	Print       bool         `short:"s" aliases:"stdout" help:"Print the sign-in URL instead of opening a browser."`
	Session     sessionFlags `embed:""`
}

func (c *ConsoleCmd) Run(ctx context.Context, g *Globals) error {
	dest, err := c.destination()
	if err != nil {
		return err
	}
	profile, err := g.profileOrPick(ctx, c.Profile, "console")
	if err != nil {
		return err
	}
	child, err := g.consoleSession(ctx, profile, c.Session)
	if err != nil {
		return err
	}
	url, err := console.SigninURL(ctx, fetch.NewHTTPClient(), console.Request{
		AccessKeyID:     child.AccessKeyID,
		SecretAccessKey: child.SecretAccessKey,
		SessionToken:    child.SessionToken,
		Region:          child.Region,
		Destination:     dest,
		Federation:      os.Getenv("AWS_ENDPOINT_URL_SIGNIN"),
	})
	if err != nil {
		return fmt.Errorf("profile %s: %w", profile, err)
	}
	if c.Print {
		fmt.Println(url)
		return nil
	}
	browser := console.Browser(c.Browser)
	target := url
	if browser == console.FirefoxContainer {
		target = console.ContainerURL(profile, url)
	}
	path, page, err := console.WritePage(console.PageDir(os.Getenv), target)
	if err != nil {
		return err
	}
	defer os.Remove(path)
	if err := openConsole(browser, profile, page); err != nil {
		return fmt.Errorf("could not open a browser (%w); run again with --print and open the URL yourself", err)
	}
	switch browser {
	case console.FirefoxContainer:
		fmt.Fprintf(os.Stderr, "hop: opened the console for %s in Firefox, whose page goes on to the container %s (Firefox needs an extension that opens ext+container: links, such as \"Open external links in a container\")\n", untrusted.Text(profile), untrusted.Text(profile))
	case console.ChromeProfile:
		fmt.Fprintf(os.Stderr, "hop: opened the console for %s in a browser with its own data directory\n", untrusted.Text(profile))
	default:
		fmt.Fprintf(os.Stderr, "hop: opened the console for %s\n", untrusted.Text(profile))
	}
	// The browser reads the page when it gets to it: a running one at
	// once, one starting cold after seconds, and the command that hands
	// it over may return first or stay till the browser ends. So the
	// page stays for a time rather than till an event; a signal ends the
	// wait, and the page goes either way.
	select {
	case <-time.After(pageLifetime):
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// destination is the page to land on, given as an argument, --service or
// --destination: one at most.
func (c *ConsoleCmd) destination() (string, error) {
	var dest, from string
	for _, d := range []struct{ name, value string }{{"the page argument", c.Page}, {"--service", c.Service}, {"--destination", c.Destination}} {
		if d.value == "" {
			continue
		}
		if dest != "" {
			return "", &usageError{err: fmt.Errorf("%s and %s both name a console page; give one", from, d.name)}
		}
		dest, from = d.value, d.name
	}
	return dest, nil
}

// pageLifetime is how long the sign-in page is left for the browser to
// read: a cold start on a loaded machine takes a few seconds. The page
// is the user's alone meanwhile.
const pageLifetime = 10 * time.Second

// consoleSession fetches credentials the federation endpoint accepts. A
// chain that ends at a stored IAM user key gets a GetFederationToken
// session made with the key itself, as aws-vault does: the endpoint
// refuses GetSessionToken's, and GetFederationToken refuses to be called
// with a session. STS takes no MFA code with it.
func (g *Globals) consoleSession(ctx context.Context, profile string, f sessionFlags) (exec.Session, error) {
	chain, err := g.resolve(ctx, profile)
	if err != nil {
		return exec.Session{}, err
	}
	target := chain.Target()
	if target.Kind != creds.KindStored {
		return g.credentials(ctx, chain, f)
	}
	if f.MFAToken != "" {
		return exec.Session{}, &usageError{err: fmt.Errorf("--mfa-token: profile %s signs in to the console with a GetFederationToken session, which STS makes without MFA; drop --mfa-token, or use a profile that assumes a role with mfa_serial", profile)}
	}
	if s := target.Session; s != nil && s.MFASerial != "" {
		fmt.Fprintf(os.Stderr, "hop: profile %s: the console session comes from GetFederationToken, which STS makes without MFA: where a policy requires MFA, the console is refused it\n", untrusted.Text(profile))
	}
	duration := f.Keys.Duration
	f.Keys = keyFlags{NoSession: true}
	key, fetcher, err := g.fetch(ctx, chain, f, 0, false)
	if err != nil {
		return exec.Session{}, err
	}
	sess, err := fetcher.FederationToken(ctx, key, duration)
	if err != nil {
		return exec.Session{}, err
	}
	return exec.ChildSession(sess, chain, f.Region, os.Getenv), nil
}
