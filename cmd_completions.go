package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/alecthomas/kong"
	"github.com/posener/complete"
	"github.com/willabides/kongplete"

	"github.com/hop-cli/hop/completions"
)

// CompletionsCmd prints a completion script.
type CompletionsCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish" help:"Shell to complete in: bash, zsh or fish."`
}

func (c *CompletionsCmd) Run() error {
	return completions.Write(os.Stdout, c.Shell)
}

// completeRequest answers a shell's completion request and exits, when
// there is one (COMP_LINE is set, as bash sets it for `complete -C` and
// hop's zsh and fish scripts do too); otherwise it returns and the command
// line is parsed as usual. Call it before parser.Parse and before anything
// costly. The front answers exec's profile argument itself, the same way
// (TestFrontCompletesAsCore).
//
// Subcommands, flags and enum values come from the kong model; arguments
// and flags tagged `predictor:"profile"` complete profile names.
func completeRequest(parser *kong.Kong) {
	if os.Getenv("COMP_LINE") == "" {
		return
	}
	cmd, err := kongplete.Command(parser, kongplete.WithPredictor("profile", profilePredictor(os.Getenv)))
	if err != nil {
		fmt.Fprintf(parser.Stderr, "hop: completion: %v\n", err)
		parser.Exit(1)
		return
	}
	// One write instead of one per candidate: with thousands of profiles the
	// unbuffered writes would cost more than finding the names.
	out := bufio.NewWriter(parser.Stdout)
	c := complete.New(parser.Model.Name, cmd)
	c.Out = out
	c.Complete()
	if err := out.Flush(); err != nil {
		parser.Exit(1)
		return
	}
	parser.Exit(0)
}

// profilePredictor predicts profile names from the shared AWS files that
// getenv points at.
func profilePredictor(getenv func(string) string) complete.Predictor {
	return complete.PredictFunc(func(complete.Args) []string { return completions.Candidates(getenv) })
}
