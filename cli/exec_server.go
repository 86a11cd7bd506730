package cli

import (
	"context"
	"os"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/exec"
	"github.com/hop-cli/hop/exec/job"
	"github.com/hop-cli/hop/server"
)

// serveExec runs cmd as hop's child with a credential server for profile,
// which lives as long as the child does.
func (g *Globals) serveExec(ctx context.Context, chain *creds.Chain, f sessionFlags, cmd *exec.Command) error {
	// The first credentials may need a sign-in, like any exec's; they must
	// also last long enough to be handed out.
	sess, fetcher, err := g.fetch(ctx, chain, f, server.Ahead, false)
	if err != nil {
		return err
	}
	srv, err := server.Start(server.Options{
		Chain:   chain,
		Source:  fetcher.Unattended(server.Ahead),
		Session: sess,
		Stderr:  os.Stderr,
	})
	if err != nil {
		return err
	}
	defer srv.Close()
	exec.WarnSwitch(os.Stderr, os.Getenv, chain.Profile)
	child := exec.ChildSession(sess, chain, f.Region, os.Getenv)
	return job.Supervise(cmd, exec.ServerEnviron(os.Environ(), child, srv.URI(), srv.Token()))
}
