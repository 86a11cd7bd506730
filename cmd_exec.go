package main

import (
	"context"
	"os"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/exec"
)

// ExecCmd runs a command with a profile's credentials in its environment.
type ExecCmd struct {
	Profile string   `arg:"" help:"AWS profile to use." predictor:"profile"`
	Command []string `arg:"" optional:"" passthrough:"" help:"Command and arguments (default: $SHELL)."`

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
	sess, err := g.session(context.Background(), c.Profile, c.Session)
	if err != nil {
		return err
	}
	return exec.Run(cmd, exec.Environ(os.Environ(), sess))
}

// childSession picks the child's region: the flag, then a region the user
// set in the environment (not one an outer hop set), then the chain's.
func childSession(s *creds.Session, chain *creds.Chain, flagRegion string) exec.Session {
	region := flagRegion
	if region == "" {
		for _, name := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
			if v := os.Getenv(name); v != "" && v != os.Getenv("HOP_REGION") {
				region = v
				break
			}
		}
	}
	if region == "" {
		region = chain.Region
	}
	c := s.Credentials
	es := exec.Session{
		Profile:         s.Profile,
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Region:          region,
		RoleARN:         s.RoleARN,
		AccountID:       s.AccountID,
	}
	if c.CanExpire {
		es.Expires = c.Expires
	}
	return es
}
