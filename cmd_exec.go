package main

import (
	"os"

	"github.com/hop-cli/hop/exec"
)

// ExecCmd runs a command with a profile's credentials in its environment.
type ExecCmd struct {
	Profile string   `arg:"" help:"AWS profile to use." predictor:"profile"`
	Command []string `arg:"" optional:"" passthrough:"" help:"Command and arguments (default: $SHELL)."`

	Server  bool         `help:"Serve the credentials to the child from a local endpoint that keeps them fresh, instead of putting them in its environment."`
	Session sessionFlags `embed:""`
}

// Run checks the profile, then the command (so `hop exec aws sts ...`
// says that profile aws is unknown), and only then fetches: a typo costs
// no sign-in.
func (c *ExecCmd) Run(g *Globals) error {
	args := c.Command
	if len(args) > 0 && args[0] == "--" {
		// kong keeps the separator in a passthrough argument.
		args = args[1:]
	}
	chain, err := g.resolve(c.Profile)
	if err != nil {
		return err
	}
	cmd, err := exec.Lookup(args, os.Getenv)
	if err != nil {
		return err
	}
	if c.Server {
		return g.serveExec(chain, c.Session, cmd)
	}
	sess, err := g.credentials(chain, c.Session)
	if err != nil {
		return err
	}
	return exec.Run(cmd, exec.Environ(os.Environ(), sess))
}
