// Command hop runs commands with temporary AWS credentials from a profile
// chain, keeping them in the child's environment only.
//
// This is the whole CLI. `make install` puts it at
// PREFIX/libexec/hop/hop-core, behind the front in cmd/hop, which serves a
// shell's init and a warm exec without loading it; built on its own it is a
// complete, if slower to start, hop.
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/exec"
	"github.com/hop-cli/hop/export"
)

var version = "dev"

// CLI is hop's command line. Each command's Run stays short: the logic lives
// in the packages it calls.
type CLI struct {
	Globals
	Version kong.VersionFlag `help:"Print the version and exit."`

	Exec        ExecCmd        `cmd:"" help:"Run a command (or a subshell) with a profile's credentials."`
	Login       LoginCmd       `cmd:"" help:"Sign in to IAM Identity Center ahead of time."`
	Export      ExportCmd      `cmd:"" help:"Print a profile's credentials for tools hop cannot wrap (also a credential_process)."`
	List        ListCmd        `cmd:"" help:"List profiles, their chains and cached sessions."`
	Explain     ExplainCmd     `cmd:"" help:"Show how a profile's credentials are obtained, and what is wrong."`
	Clear       ClearCmd       `cmd:"" help:"Drop cached sessions (and with --sso, the SSO token)."`
	Console     ConsoleCmd     `cmd:"" help:"Open the AWS console signed in as a profile."`
	Add         AddCmd         `cmd:"" help:"Store an IAM user's long-term access key in the keyring."`
	Remove      RemoveCmd      `cmd:"" help:"Delete a stored long-term key and the sessions made from it."`
	Rotate      RotateCmd      `cmd:"" help:"Replace a stored long-term key with a new one, in IAM and the keyring."`
	Import      ImportCmd      `cmd:"" help:"Copy long-term keys from aws-vault into hop's keyring."`
	Init        InitCmd        `cmd:"" help:"Print the prompt integration for a shell, to eval in its rc file."`
	Completions CompletionsCmd `cmd:"" help:"Print the completion script for a shell."`
}

// parserOptions build hop's command line; tests build the same one.
func parserOptions() []kong.Option {
	return []kong.Option{
		kong.Name("hop"),
		kong.Description("Temporary AWS credentials from SSO and role chains, in the child's environment only."),
		kong.UsageOnError(),
		kong.Vars{"version": version, "backends": strings.Join(fetch.Backends(), ", "), "formats": strings.Join(export.Formats, ",")},
	}
}

func main() {
	// An exported but empty switch means "off" to a shell user; kong would
	// reject it as a malformed boolean.
	for _, name := range []string{"HOP_DEBUG", "HOP_NO_BROWSER"} {
		if v, ok := os.LookupEnv(name); ok && v == "" {
			os.Unsetenv(name)
		}
	}
	var cli CLI
	parser := kong.Must(&cli, parserOptions()...)
	// A shell asking for completions gets its answer here and hop exits,
	// before anything costly runs.
	completeRequest(parser)
	ctx, err := parser.Parse(os.Args[1:])
	parser.FatalIfErrorf(err)
	if err := ctx.Run(&cli.Globals); err != nil {
		var child *exec.ExitError
		if !errors.Is(err, errAlreadyReported) && !errors.As(err, &child) {
			fmt.Fprintf(os.Stderr, "hop: %v\n", err)
		}
		os.Exit(exitCode(err))
	}
}
