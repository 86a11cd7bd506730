package main

import (
	"context"
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

func (c *ExecCmd) Run(g *Globals) error {
	args := c.Command
	if len(args) > 0 && args[0] == "--" {
		// kong keeps the separator in a passthrough argument.
		args = args[1:]
	}
	cmd, err := exec.Lookup(args, os.Getenv)
	if err != nil {
		return err
	}
	if c.Server {
		return g.serveExec(context.Background(), c.Profile, c.Session, cmd)
	}
	sess, err := g.session(context.Background(), c.Profile, c.Session)
	if err != nil {
		return err
	}
	return exec.Run(cmd, exec.Environ(os.Environ(), sess))
}
