package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/cli/browser"
	"github.com/mattn/go-isatty"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/exec"
	"github.com/hop-cli/hop/inspect"
)

// Globals are the flags every command shares, and the way commands reach
// the creds package. Commands that need no config never call these.
type Globals struct {
	Debug   bool   `help:"Print diagnostic detail on stderr (secrets are never printed)." env:"HOP_DEBUG"`
	Backend string `help:"Keyring backend for the session cache (${backends})." env:"HOP_BACKEND" placeholder:"NAME"`
}

// sessionFlags are shared by the commands that fetch a profile's
// credentials.
type sessionFlags struct {
	Region   string     `help:"Region to use (default: from the environment or the profile chain)."`
	MFAToken string     `name:"mfa-token" short:"t" help:"MFA code for a role or a stored key's session (otherwise mfa_process, or a question on the terminal)."`
	Login    loginFlags `embed:""`
	Keys     keyFlags   `embed:""`
}

// session resolves profile and fetches its credentials, ready for a child
// or an export.
// Resolving reads only the config files, so a bad profile fails before
// the keyring or the network is touched. Ctrl-C cancels the fetch cleanly,
// leaving no cache half-written.
func (g *Globals) session(ctx context.Context, profile string, f sessionFlags) (exec.Session, error) {
	cfg, err := g.config()
	if err != nil {
		return exec.Session{}, err
	}
	chain, err := creds.Resolve(cfg, profile)
	if err != nil {
		return exec.Session{}, err
	}
	if chain, err = f.Keys.apply(chain); err != nil {
		return exec.Session{}, err
	}
	fetcher, err := g.newFetcher(f.Login, f.MFAToken)
	if err != nil {
		return exec.Session{}, err
	}
	ctx, stop := interruptible(ctx)
	defer stop()
	sess, err := fetcher.Credentials(ctx, chain)
	if err != nil {
		return exec.Session{}, err
	}
	return exec.ChildSession(sess, chain, f.Region, os.Getenv), nil
}

// loginFlags are shared by the commands that may need to sign in.
type loginFlags struct {
	NoBrowser     bool `name:"no-browser" help:"Print the sign-in URL instead of opening a browser." env:"HOP_NO_BROWSER"`
	UseDeviceCode bool `name:"use-device-code" help:"Sign in with a device code even when a browser could be opened."`
}

func (g *Globals) debugf(format string, args ...any) {
	if g.Debug {
		fmt.Fprintf(os.Stderr, "hop: debug: "+format+"\n", args...)
	}
}

func (g *Globals) config() (*creds.Config, error) {
	cfg, err := creds.LoadConfig(creds.Paths(os.Getenv))
	if err == nil {
		cfg.HasStoredKey = g.storedKeyLookup()
	}
	return cfg, err
}

// newFetcher wires creds to this process: the keyring, the terminal, the
// browser.
func (g *Globals) newFetcher(login loginFlags, mfaToken string) (*fetch.Fetcher, error) {
	kr, err := fetch.OpenKeyring(fetch.KeyringOptions{
		Backend:    g.Backend,
		Passphrase: filePassphrase,
		Getenv:     os.Getenv,
	})
	if err != nil {
		return nil, err
	}
	return fetch.New(fetch.Options{
		Getenv:        os.Getenv,
		Stderr:        os.Stderr,
		Keyring:       kr,
		NoBrowser:     login.NoBrowser,
		UseDeviceCode: login.UseDeviceCode,
		OpenBrowser:   openBrowser,
		Progress:      isatty.IsTerminal(os.Stderr.Fd()),
		MFAToken:      mfaToken,
		MFAPrompt:     promptMFA,
		Debugf:        g.debugf,
	}), nil
}

// interruptible cancels ctx on Ctrl-C, SIGTERM or SIGHUP, so waits end
// promptly and nothing is left half-written.
func interruptible(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
}

// cacheView is what list and explain read: no keyring, no network.
func (g *Globals) cacheView() inspect.Cache {
	return inspect.Cache{
		Index:  creds.IndexFor(os.Getenv),
		Tokens: creds.TokenCacheFor(os.Getenv),
		Getenv: os.Getenv,
		Now:    time.Now(),
	}
}

// ssoSessionsToClear finds the SSO sessions `clear --sso` signs out of:
// the profile's, or every one the config names, keyed by a profile that
// reaches it ("" for an [sso-session] no profile uses).
func ssoSessionsToClear(cfg *creds.Config, profile string) (map[string]*creds.SSOSettings, error) {
	if profile != "" {
		s, err := ssoSettingsFor(cfg, profile, "")
		if err != nil {
			return nil, err
		}
		return map[string]*creds.SSOSettings{profile: s}, nil
	}
	out := map[string]*creds.SSOSettings{}
	seen := map[string]bool{}
	for _, name := range cfg.ProfileNames() {
		chain, err := creds.Resolve(cfg, name)
		if err != nil || chain.Hops[0].Kind != creds.KindSSO {
			continue
		}
		s := chain.Hops[0].SSO
		if key := s.Session + "|" + s.StartURL; !seen[key] {
			seen[key] = true
			out[name] = s
		}
	}
	return out, nil
}

// openBrowser tries the commands in BROWSER (colon-separated, "%s" standing
// for the URL, as the convention has it), then the desktop's opener. It
// does not wait for the browser, and fails fast when none can start.
func openBrowser(url string) error {
	if list := os.Getenv("BROWSER"); list != "" {
		var errs []error
		for _, entry := range strings.Split(list, ":") {
			args := strings.Fields(entry)
			if len(args) == 0 {
				continue
			}
			if i := slices.Index(args, "%s"); i >= 0 {
				args[i] = url
			} else {
				args = append(args, url)
			}
			cmd := osexec.Command(args[0], args[1:]...)
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			if err := cmd.Start(); err != nil {
				errs = append(errs, err)
				continue
			}
			go cmd.Wait()
			return nil
		}
		return fmt.Errorf("BROWSER: %w", errors.Join(errs...))
	}
	browser.Stdout, browser.Stderr = os.Stderr, os.Stderr
	return browser.OpenURL(url)
}
