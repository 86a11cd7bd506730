package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/exec"
	"github.com/hop-cli/hop/inspect"
	"github.com/hop-cli/hop/untrusted"
)

// Globals are the flags every command shares, and the way commands reach
// the creds package. Commands that need no config never call these.
type Globals struct {
	Debug   bool   `help:"Print diagnostic detail on stderr (secrets are never printed)." env:"HOP_DEBUG"`
	Backend string `help:"Keyring backend for the session cache (${backends})." env:"HOP_BACKEND" placeholder:"NAME" predictor:"backend"`

	// passphrase is HOP_FILE_PASSPHRASE, which hop-core reads from the
	// pipe the front hands it through, never from its environment, before
	// anything starts: no process hop starts inherits it or finds it there.
	passphrase string
	// noPassphrase is why the file keyring got no passphrase, once asking
	// for one failed.
	noPassphrase error
}

// sessionFlags are shared by the commands that fetch a profile's
// credentials.
type sessionFlags struct {
	Region   string     `help:"Region to use (default: from the environment or the profile chain)." predictor:"region"`
	MFAToken mfaCode    `name:"mfa-token" short:"t" help:"MFA code for a role or a stored key's session (otherwise mfa_process, or a question on the terminal)."`
	Login    loginFlags `embed:""`
	Keys     keyFlags   `embed:""`
}

// session resolves profile and fetches its credentials, ready for a child
// or an export.
func (g *Globals) session(ctx context.Context, profile string, f sessionFlags) (exec.Session, error) {
	chain, err := g.resolve(ctx, profile)
	if err != nil {
		return exec.Session{}, err
	}
	return g.credentials(ctx, chain, f)
}

// resolve reads only the config files, so a bad profile fails before the
// keyring or the network is touched.
func (g *Globals) resolve(ctx context.Context, profile string) (*creds.Chain, error) {
	cfg, err := g.config(ctx)
	if err != nil {
		return nil, err
	}
	return creds.Resolve(cfg, profile)
}

// credentials fetches chain's credentials for a child or an export.
func (g *Globals) credentials(ctx context.Context, chain *creds.Chain, f sessionFlags) (exec.Session, error) {
	sess, _, err := g.fetch(ctx, chain, f, 0, false)
	if err != nil {
		return exec.Session{}, err
	}
	return exec.ChildSession(sess, chain, f.Region, os.Getenv), nil
}

// fetch fetches chain's credentials with at least minValidity left
// (creds.ReuseMargin when zero), returning the fetcher too for a caller
// that fetches again later. An unattended fetch never signs in or asks for
// anything, the keyring's passphrase included. A signal cancels the fetch
// cleanly, leaving no cache half-written, and an interrupted fetch returns
// no session even if it finished.
func (g *Globals) fetch(ctx context.Context, chain *creds.Chain, f sessionFlags, minValidity time.Duration, unattended bool) (*creds.Session, *fetch.Fetcher, error) {
	chain, err := f.Keys.apply(chain)
	if err != nil {
		return nil, nil, err
	}
	opts, err := g.fetchOptions(ctx, f.Login, string(f.MFAToken), unattended)
	if err != nil {
		return nil, nil, err
	}
	opts.MinValidity = minValidity
	fetcher := fetch.New(opts)
	if unattended {
		fetcher = fetcher.Unattended(minValidity)
	}
	sess, err := fetcher.Credentials(ctx, chain)
	var intr *fetch.Interrupted
	if err == nil && errors.As(context.Cause(ctx), &intr) {
		err = intr
	}
	if err == nil && errors.Is(g.noPassphrase, errEmptyPassphrase) {
		// The cache only warns when it cannot store (with no terminal to
		// ask on, hop runs uncached); a user who answered the prompt
		// with nothing is told so, and nothing runs.
		err = g.noPassphrase
	}
	if err != nil {
		return nil, nil, err
	}
	return sess, fetcher, nil
}

// mfaCode is an --mfa-token, checked as the command line is read: a code
// STS would refuse is a usage error, and costs no sign-in, no call and no
// picker before it is refused.
type mfaCode string

func (c mfaCode) Validate() error { return fetch.CheckMFACode(string(c)) }

// loginFlags are shared by the commands that may need to sign in.
type loginFlags struct {
	NoBrowser     bool `name:"no-browser" help:"Print the sign-in URL instead of opening a browser." env:"HOP_NO_BROWSER"`
	UseDeviceCode bool `name:"use-device-code" help:"Sign in with a device code even when a browser could be opened."`
	// nonInteractive refuses to sign in or ask for an MFA code, for runs
	// where nobody could answer or see the question.
	nonInteractive bool
}

// debugf prints a --debug line. Its values (errors, URLs, config) are data,
// so the line goes through the untrusted filter whole.
func (g *Globals) debugf(format string, args ...any) {
	if g.Debug {
		fmt.Fprintf(os.Stderr, "hop: debug: %s\n", untrusted.Lines(fmt.Sprintf(format, args...)))
	}
}

// config reads through the front's index, so commands about one profile
// (explain, export, exec) read only its chain's sections.
func (g *Globals) config(ctx context.Context) (*config.Config, error) {
	configPath, credentialsPath := config.Paths(os.Getenv)
	cfg, err := config.LoadIndexed(configPath, credentialsPath, config.IndexDir(os.Getenv))
	if err == nil {
		cfg.HasStoredKey = g.storedKeyLookup(ctx)
	}
	return cfg, err
}

// newFetcher wires creds to this process: the keyring, the terminal, the
// browser.
func (g *Globals) newFetcher(ctx context.Context, login loginFlags, mfaToken string) (*fetch.Fetcher, error) {
	opts, err := g.fetchOptions(ctx, login, mfaToken, false)
	if err != nil {
		return nil, err
	}
	return fetch.New(opts), nil
}

// fetchOptions are newFetcher's; an unattended fetcher's keyring takes
// its passphrase from HOP_FILE_PASSPHRASE alone, since nobody is there to
// type it.
func (g *Globals) fetchOptions(ctx context.Context, login loginFlags, mfaToken string, unattended bool) (fetch.Options, error) {
	// The file keyring asks again for each item it cannot unlock: a
	// passphrase refused (or a prompt interrupted) stays so for this run.
	passphrase := func(prompt string) (string, error) {
		if g.noPassphrase != nil {
			return "", g.noPassphrase
		}
		if unattended && g.passphrase == "" {
			return "", fmt.Errorf("the file keyring %w to type its passphrase", fetch.ErrNeedsPerson)
		}
		p, err := filePassphrase(ctx, g.passphrase, prompt)
		g.noPassphrase = err
		return p, err
	}
	kr, err := fetch.OpenKeyring(fetch.KeyringOptions{
		Backend:    g.Backend,
		Passphrase: passphrase,
		Getenv:     os.Getenv,
	})
	if errors.Is(err, fetch.ErrNoSuchBackend) {
		// A value of --backend, or of HOP_BACKEND, which is the same flag.
		return fetch.Options{}, &usageError{err: fmt.Errorf("--backend (or HOP_BACKEND): %w", err)}
	}
	if err != nil {
		return fetch.Options{}, err
	}
	opts := fetch.Options{
		Getenv:         os.Getenv,
		Stderr:         os.Stderr,
		Keyring:        kr,
		NoBrowser:      login.NoBrowser,
		UseDeviceCode:  login.UseDeviceCode,
		OpenBrowser:    openBrowser,
		NonInteractive: login.nonInteractive,
		Progress:       isatty.IsTerminal(os.Stderr.Fd()),
		MFAToken:       mfaToken,
		MFAPrompt:      func(profile, serial string) (string, error) { return promptMFA(ctx, profile, serial) },
		Debugf:         g.debugf,
	}
	if login.nonInteractive {
		opts.MFAPrompt = nil
	}
	return opts, nil
}

// getenv is os.Getenv that still sees HOP_FILE_PASSPHRASE, which hop took
// out of its environment at start, for reads of the file keyring in this
// process (store.Peek) and nowhere else.
func (g *Globals) getenv(name string) string {
	if name == passphraseVar {
		return g.passphrase
	}
	return os.Getenv(name)
}

// cacheView is what list and explain read: no keyring, no network.
func (g *Globals) cacheView() inspect.Cache {
	return inspect.CacheFor(g.getenv)
}
