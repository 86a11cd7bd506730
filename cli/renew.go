package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/exec"
	"github.com/hop-cli/hop/export"
	"github.com/hop-cli/hop/inspect"
	"github.com/hop-cli/hop/untrusted"
)

// hookTimeout bounds a renewal the prompt waits for, waiting for another
// hop process's lock included.
const hookTimeout = 15 * time.Second

// RenewCmd prints new credentials for a hop shell to adopt. The prompt hook
// of `hop init` runs it with --hook when the shell's credentials near
// their end.
type RenewCmd struct {
	Profile string `arg:"" help:"The shell's profile (its HOP_PROFILE)." predictor:"profile"`
	Shell   string `required:"" enum:"bash,zsh,fish,pwsh" help:"Shell to print the assignments for: bash, zsh, fish or pwsh (PowerShell)."`
	Hook    bool   `help:"Never sign in, ask for an MFA code or a passphrase, or open a browser; when one is needed, print one line saying what to run."`

	MFAToken mfaCode    `name:"mfa-token" help:"MFA code for a role that needs one (otherwise hop asks on the terminal)."`
	Login    loginFlags `embed:""`
}

func (c *RenewCmd) Run(ctx context.Context, g *Globals) error {
	chain, err := g.resolve(ctx, c.Profile)
	if err != nil && c.Hook {
		fmt.Fprintln(os.Stderr, renewalNotice(c.Profile, c.Shell, err))
		return errAlreadyReported
	}
	if err != nil {
		return err
	}
	if c.Hook {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, hookTimeout)
		defer cancel()
	}
	sess, _, err := g.fetch(ctx, chain, sessionFlags{MFAToken: c.MFAToken, Login: c.Login}, export.RenewValidity, c.Hook)
	if err != nil && c.Hook {
		fmt.Fprintln(os.Stderr, renewalNotice(c.Profile, c.Shell, err))
		return errAlreadyReported
	}
	if err != nil {
		return err
	}
	return export.WriteRenewal(os.Stdout, c.Shell, exec.ChildSession(sess, chain, "", os.Getenv))
}

// renewalNotice is the one line a prompt hook prints when renewing needs
// the user: the profile, the time left, and the command that renews.
func renewalNotice(profile, shell string, err error) string {
	left := ""
	if at, perr := strconv.ParseInt(os.Getenv("HOP_EXPIRES_AT"), 10, 64); perr == nil {
		switch d := inspect.Left(time.Unix(at, 0), time.Now()); {
		case d > 0:
			left = " expire in " + inspect.Duration(d) + " and"
		default:
			left = " expired " + inspect.Duration(-d) + " ago and"
		}
	}
	run := `eval "$(` + export.CommandLine(shell, "hop", "renew", "--shell", shell, profile) + `)"`
	switch shell {
	case "fish":
		run = export.CommandLine(shell, "hop", "renew", "--shell", shell, profile) + " | source"
	case "pwsh":
		run = export.CommandLine(shell, "hop", "renew", "--shell", shell, profile) + " | Invoke-Expression"
	}
	why := "failed"
	if errors.Is(err, fetch.ErrNeedsPerson) {
		why = "needs you"
	}
	line := untrusted.Text(fmt.Sprintf("hop: warning: this shell's credentials for profile %s%s renewing them %s (%v); to renew this shell, run: %s", profile, left, why, err, run))
	if os.Getenv("NO_COLOR") == "" && isatty.IsTerminal(os.Stderr.Fd()) {
		// The prompt segment's warning colour.
		line = "\x1b[33m" + line + "\x1b[39m"
	}
	return line
}
