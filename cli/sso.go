package cli

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/profilegen"
	"github.com/hop-cli/hop/state"
	"github.com/hop-cli/hop/untrusted"
)

// SSOCmd groups the IAM Identity Center commands.
type SSOCmd struct {
	Sync SSOSyncCmd `cmd:"" help:"Write a profile for every account and role Identity Center lets you use."`
}

// SSOSyncCmd generates profiles from Identity Center into a block of the
// config file that hop owns.
type SSOSyncCmd struct {
	SSOSession string     `name:"sso-session" help:"The [sso-session] to list (default: AWS_PROFILE's, or the only one)." placeholder:"NAME" predictor:"sso-session"`
	Name       string     `default:"{account_name}.{role_name}" help:"Profile name template: {account_name}, {account_id}, {role_name}." placeholder:"TEMPLATE"`
	Region     string     `help:"Region for the generated profiles (default: the sso-session's region)." predictor:"region"`
	DryRun     bool       `name:"dry-run" help:"Print the change to the config file as a diff instead of writing it."`
	Login      loginFlags `embed:""`
}

func (c *SSOSyncCmd) Run(ctx context.Context, g *Globals) error {
	cfg, err := g.config(ctx)
	if err != nil {
		return err
	}
	profile, s, err := chooseSSOSession(cfg, c.SSOSession)
	if err != nil {
		return err
	}
	if s.Session == "" {
		return fmt.Errorf("profile %s names its start URL directly; hop sso sync needs an [sso-session] section (run 'aws configure sso-session'), or pass --sso-session", profile)
	}
	f, err := g.newFetcher(ctx, c.Login, "")
	if err != nil {
		return err
	}
	ctx, stop := interruptible(ctx)
	defer stop()
	listed, err := f.Assignments(ctx, cfg, profile, s)
	if err != nil {
		return err
	}
	as := make([]profilegen.Assignment, len(listed))
	for i, a := range listed {
		as[i] = profilegen.Assignment(a)
	}
	known := func(name string) bool { _, ok := cfg.Profile(name); return ok }
	r, err := profilegen.Update(cfg.ConfigPath, profilegen.Options{
		Session: s.Session, Region: cmp.Or(c.Region, s.Region), Template: c.Name, Known: known,
	}, as, !c.DryRun)
	if err != nil {
		return err
	}
	if !c.DryRun {
		rememberAccountNames(listed)
	}
	reportSync(cfg.ConfigPath, s.Session, r, c.DryRun)
	return nil
}

// reportSync says what sync did: the diff on stdout for a dry run, the
// rest on stderr.
func reportSync(path, session string, r profilegen.Result, dryRun bool) {
	path, session = untrusted.Text(path), untrusted.Text(session)
	for _, n := range r.Notes {
		fmt.Fprintf(os.Stderr, "hop: note: %s\n", untrusted.Text(n))
	}
	switch {
	case !r.Changed:
		fmt.Fprintf(os.Stderr, "hop: sso-session %s: %d profiles in %s, already up to date; nothing written\n", session, len(r.Profiles), path)
	case dryRun:
		for line := range strings.Lines(r.Diff) {
			fmt.Println(untrusted.Text(strings.TrimSuffix(line, "\n")))
		}
	case r.Backup != "":
		fmt.Fprintf(os.Stderr, "hop: sso-session %s: wrote %d profiles to %s (the previous file is in %s)\n", session, len(r.Profiles), path, untrusted.Text(r.Backup))
	default:
		fmt.Fprintf(os.Stderr, "hop: sso-session %s: wrote %d profiles to %s\n", session, len(r.Profiles), path)
	}
}

// rememberAccountNames keeps the portal's account names for the picker.
// Failing to is not worth failing the sync for.
func rememberAccountNames(listed []fetch.Assignment) {
	file := state.For(os.Getenv)
	known := file.Load().Accounts
	changed := false
	for _, a := range listed {
		changed = changed || known[a.AccountID] != a.AccountName
	}
	if !changed {
		return
	}
	_ = file.Update(func(st *state.State) {
		if st.Accounts == nil {
			st.Accounts = map[string]string{}
		}
		for _, a := range listed {
			st.Accounts[a.AccountID] = a.AccountName
		}
	})
}

// chooseSSOSession picks the SSO session a command means: the one named,
// else AWS_PROFILE's, else the only one the config has. profile is the
// profile it was found through, if any.
func chooseSSOSession(cfg *config.Config, named string) (profile string, s *config.SSOSettings, err error) {
	if named != "" {
		s, err := cfg.SessionSettings(named)
		return "", s, err
	}
	if p := os.Getenv("AWS_PROFILE"); p != "" {
		s, err := ssoSettingsFor(cfg, p, "")
		if err != nil {
			return "", nil, fmt.Errorf("AWS_PROFILE: %w", err)
		}
		return p, s, nil
	}
	names := cfg.SSOSessionNames()
	switch len(names) {
	case 0:
		return "", nil, &sessionChoiceError{file: cfg.ConfigPath, missing: cfg.ConfigFileMissing()}
	case 1:
		s, err := cfg.SessionSettings(names[0])
		return "", s, err
	}
	return "", nil, &sessionChoiceError{file: cfg.ConfigPath, names: names}
}

// sessionChoiceError is chooseSSOSession's answer when the config has
// several sessions, or none, and nothing says which.
type sessionChoiceError struct {
	file    string
	names   []string
	missing bool
}

func (e *sessionChoiceError) Error() string {
	if e.missing {
		return fmt.Sprintf("%s does not exist; create it with 'aws configure sso-session' (or 'aws configure sso'), or point AWS_CONFIG_FILE at yours", e.file)
	}
	if len(e.names) == 0 {
		return fmt.Sprintf("%s has no [sso-session] section; run 'aws configure sso-session' first, or name a profile", e.file)
	}
	return fmt.Sprintf("%s has %d sso-sessions (%s); name one with --sso-session", e.file, len(e.names), untrusted.Text(strings.Join(e.names, ", ")))
}
