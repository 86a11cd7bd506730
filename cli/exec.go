package cli

import (
	"context"
	"errors"
	"os"
	"slices"

	"github.com/alecthomas/kong"

	"github.com/hop-cli/hop/exec"
)

// ExecCmd runs a command with a profile's credentials in its environment.
type ExecCmd struct {
	Profile string   `arg:"" optional:"" help:"AWS profile to use (default: pick one on the terminal)." predictor:"profile"`
	Command []string `arg:"" optional:"" passthrough:"" help:"Command and arguments (default: $SHELL)."`

	Server  bool         `short:"s" aliases:"ecs-server" help:"Serve the credentials to the child from a local endpoint that keeps them fresh, instead of putting them in its environment."`
	Session sessionFlags `embed:""`

	// aws-vault's spellings: exec --json is export --format process, and
	// --stdout is --no-browser.
	JSON   bool `short:"j" hidden:"" help:"The same as hop export PROFILE --format process."`
	Stdout bool `hidden:"" help:"The same as --no-browser."`
}

// Validate refuses what aws-vault's exec --json refuses with it.
func (c *ExecCmd) Validate() error {
	if c.JSON && c.Server {
		return errors.New("--json prints the credentials and runs nothing; drop --server, or --json")
	}
	return nil
}

// Run picks a profile when none is named, checks it, then the command
// (so `hop exec aws sts ...` says that profile aws is unknown), and only
// then fetches: a typo costs no sign-in.
func (c *ExecCmd) Run(ctx context.Context, g *Globals, k *kong.Context) error {
	profile, args := execArgs(k.Args, c.Profile, c.Command)
	if len(c.Command) > 0 {
		// kong hands a flag after the profile to the command: one of
		// aws-vault's that hop spells otherwise is not a command to run.
		if hint := awsVaultHint("exec", c.Command[0]); hint != "" {
			return &usageError{err: errors.New(hint)}
		}
	}
	c.Session.Login.NoBrowser = c.Session.Login.NoBrowser || c.Stdout
	if c.JSON {
		if len(args) > 0 {
			return &usageError{err: errors.New("--json prints the credentials and runs nothing; for a command, drop --json")}
		}
		export := ExportCmd{Profile: profile, Format: "process", Session: c.Session}
		return export.Run(ctx, g)
	}
	profile, err := g.profileOrPick(ctx, profile, "exec")
	if err != nil {
		return err
	}
	chain, err := g.resolve(ctx, profile)
	if err != nil {
		return err
	}
	cmd, err := exec.Lookup(args, os.Getenv)
	if err != nil {
		return err
	}
	if c.Server {
		return g.serveExec(ctx, chain, c.Session, cmd)
	}
	sess, err := g.credentials(ctx, chain, c.Session)
	if err != nil {
		return err
	}
	exec.WarnSwitch(os.Stderr, os.Getenv, profile)
	// The child replaces hop-core: it gets the core limit hop-core had.
	unshield()
	return exec.Run(cmd, exec.Environ(os.Environ(), sess))
}

// execArgs reads exec's profile and command from what kong parsed. kong
// keeps the "--" in the passthrough command after a profile, but given
// `exec -- cmd args` it takes cmd for the profile: a "--" in raw that the
// profile follows directly, with the command the rest, means no profile.
func execArgs(raw []string, profile string, command []string) (string, []string) {
	if len(command) > 0 && command[0] == "--" {
		return profile, command[1:]
	}
	if i := slices.Index(raw, "--"); i >= 0 && i+1 < len(raw) && raw[i+1] == profile && slices.Equal(raw[i+2:], command) {
		return "", append([]string{profile}, command...)
	}
	return profile, command
}
