// Command hop runs commands with temporary AWS credentials from a profile
// chain, keeping them in the child's environment only.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/hop-cli/hop/completions"
	"github.com/hop-cli/hop/creds"
)

var version = "dev"

// CLI is hop's command line. Each command's Run stays short: the logic lives
// in the packages it calls.
type CLI struct {
	Globals
	Version kong.VersionFlag `help:"Print the version and exit."`

	Exec        ExecCmd        `cmd:"" help:"Run a command (or a subshell) with a profile's credentials."`
	Init        InitCmd        `cmd:"" help:"Print the prompt integration for a shell, to eval in its rc file."`
	Completions CompletionsCmd `cmd:"" help:"Print the completion script for a shell."`
}

func main() {
	var cli CLI
	parser := kong.Must(&cli,
		kong.Name("hop"),
		kong.Description("Temporary AWS credentials from SSO and role chains, in the child's environment only."),
		kong.UsageOnError(),
		kong.Vars{"version": version, "backends": strings.Join(creds.Backends(), ", ")},
	)
	// A shell asking for completions gets its answer here and hop exits,
	// before anything costly runs.
	completions.Complete(parser)
	ctx, err := parser.Parse(os.Args[1:])
	parser.FatalIfErrorf(err)
	if err := ctx.Run(&cli.Globals); err != nil {
		fmt.Fprintf(os.Stderr, "hop: %v\n", err)
		os.Exit(exitCode(err))
	}
}
