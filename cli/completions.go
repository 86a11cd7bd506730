package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/alecthomas/kong"
	"github.com/posener/complete"
	"github.com/willabides/kongplete"

	"github.com/hop-cli/hop/completions"
	"github.com/hop-cli/hop/creds/fetch"
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
// and flags tagged `predictor:"profile"` complete profile names (described
// for zsh and fish), and flags tagged "backend", "region" or
// "sso-session" those values. The line is read with the shell's quoting
// (completions.ReadRequest), not split on blanks, so a profile name with
// a blank in it completes too.
func completeRequest(parser *kong.Kong) {
	req, ok := completions.ReadRequest(os.Getenv, os.Args[1:])
	if !ok {
		return
	}
	// The profile predictor keeps the descriptions of the names it gives.
	var about completions.Describer
	profiles := complete.PredictFunc(func(complete.Args) []string {
		var names []string
		names, about = completions.Profiles(os.Getenv, req.Describes())
		return names
	})
	cmd, err := kongplete.Command(parser,
		kongplete.WithPredictor("profile", profiles),
		kongplete.WithPredictor("backend", complete.PredictFunc(func(complete.Args) []string { return fetch.Backends() })),
		kongplete.WithPredictor("region", complete.PredictFunc(func(complete.Args) []string { return completions.Regions(os.Getenv) })),
		kongplete.WithPredictor("sso-session", complete.PredictFunc(func(complete.Args) []string { return completions.SSOSessions(os.Getenv) })),
	)
	if err != nil {
		fmt.Fprintf(parser.Stderr, "hop: completion: %v\n", err)
		parser.Exit(1)
		return
	}
	// complete.Args as posener/complete builds them from a line, from the
	// words the shell will see.
	words := req.Words[1:]
	args := complete.Args{All: words, Last: req.Words[len(req.Words)-1]}
	if len(words) > 1 {
		args.Completed = words[:len(words)-1]
		args.LastCompleted = args.Completed[len(args.Completed)-1]
	}
	var answers []string
	for _, option := range cmd.Predict(args) {
		if strings.HasPrefix(option, args.Last) {
			answers = append(answers, option)
		}
	}
	if err := req.Write(parser.Stdout, answers, about); err != nil {
		parser.Exit(1)
		return
	}
	parser.Exit(0)
}
