// Package cli is hop's whole command line, one file per command: hop-core's
// main (the module root) hands it the arguments. Each command's Run reads
// its flags and calls the packages that do the work.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/exec"
	"github.com/hop-cli/hop/export"
	"github.com/hop-cli/hop/untrusted"
	"github.com/hop-cli/hop/version"
)

// CLI is hop's command line. Each command's Run stays short: the logic lives
// in the packages it calls.
type CLI struct {
	Globals
	Version kong.VersionFlag `help:"Print the version and exit."`

	Exec        ExecCmd        `cmd:"" help:"Run a command (or a subshell) with a profile's credentials."`
	Login       LoginCmd       `cmd:"" help:"Sign in to IAM Identity Center ahead of time."`
	Export      ExportCmd      `cmd:"" help:"Print a profile's credentials for tools hop cannot wrap (also a credential_process)."`
	Renew       RenewCmd       `cmd:"" help:"Print new credentials for a hop shell to adopt (its prompt hook runs this)."`
	List        ListCmd        `cmd:"" aliases:"ls" help:"List profiles, their chains and cached sessions."`
	Explain     ExplainCmd     `cmd:"" help:"Show how a profile's credentials are obtained, and what is wrong."`
	Clear       ClearCmd       `cmd:"" help:"Drop cached sessions (and with --sso, the SSO token)."`
	Console     ConsoleCmd     `cmd:"" help:"Open the AWS console signed in as a profile."`
	Add         AddCmd         `cmd:"" help:"Store an IAM user's long-term access key in the keyring."`
	Remove      RemoveCmd      `cmd:"" aliases:"rm" help:"Delete a stored long-term key and the sessions made from it."`
	Rotate      RotateCmd      `cmd:"" help:"Replace a stored long-term key with a new one, in IAM and the keyring."`
	Import      ImportCmd      `cmd:"" help:"Copy long-term keys from aws-vault into hop's keyring."`
	Init        InitCmd        `cmd:"" help:"Print the prompt integration for a shell, to eval in its rc file."`
	Completions CompletionsCmd `cmd:"" help:"Print the completion script for a shell."`
	SSO         SSOCmd         `cmd:"" name:"sso" help:"IAM Identity Center: generate profiles (sso sync)."`
	Doctor      DoctorCmd      `cmd:"" help:"Check the config, keyring, install, shell, clock and SSO tokens, and say what to run."`
	Help        HelpCmd        `cmd:"" help:"Show the help for hop or a command."`
	VersionCmd  VersionCmd     `cmd:"" name:"version" help:"Print hop's version."`
}

// exitUsage is the status for a command line hop cannot read, as the shell
// and getopt-style tools use it.
const exitUsage = 2

// usageError is a command line hop cannot read. ctx, when known, is as far
// as the line could be read, for the usage of the command it names.
type usageError struct {
	err error
	ctx *kong.Context
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// reportUsageError prints the one-line usage of the command the line
// names, where its help is, and the error, last as every hop error is, all
// on stderr, and exits 2. It is three lines, not the whole help, which
// scrolled the error's "did you mean" out of sight. Nothing reaches
// stdout, so a mistyped `eval "$(hop init zhs)"` evaluates nothing.
func reportUsageError(parser *kong.Kong, e *usageError) {
	usage, help := parser.Model.Summary(), "hop help"
	if e.ctx != nil {
		if node := e.ctx.Selected(); node != nil {
			usage, help = node.Summary(), "hop help "+node.Path()
		}
	}
	fmt.Fprintf(os.Stderr, "Usage: hop %s\nRun '%s' for more.\n", strings.TrimSpace(usage), help)
	fmt.Fprintf(os.Stderr, "hop: error: %s\n", untrusted.Lines(e.Error()))
	os.Exit(exitUsage)
}

// profileFlagHint answers `--profile NAME`, which aws-vault's and the AWS
// CLI's users type, on a command whose profile is its first argument: an
// error that names the command line meant, or nil when the parser's error
// is another or the line names no such command. The flag is refused, not
// taken as an alias, so that each command line has one reading.
func profileFlagHint(parser *kong.Kong, args []string, err error) error {
	// A --profile after exec's profile is the command's own (aws
	// --profile): kong passes it on and never stops at it.
	if !strings.HasPrefix(err.Error(), "unknown flag --profile") {
		return nil
	}
	end := slices.Index(args, "--")
	if end < 0 {
		end = len(args)
	}
	var rest []string
	value, found := "", false
	for i := 0; i < end; i++ {
		switch a := args[i]; {
		case found:
			rest = append(rest, a)
		case a == "--profile" && i+1 < end:
			value, found = args[i+1], true
			i++
		case a == "--profile":
			value, found = "PROFILE", true
		case strings.HasPrefix(a, "--profile="):
			value, found = strings.TrimPrefix(a, "--profile="), true
		default:
			rest = append(rest, a)
		}
	}
	if !found {
		return nil
	}
	rest = append(rest, args[end:]...)
	// The profile goes right after the first word that names a command
	// taking one.
	for i, word := range rest {
		for _, cmd := range parser.Model.Children {
			if cmd.Name == word && len(cmd.Positional) > 0 && cmd.Positional[0].Name == "profile" {
				line := slices.Concat([]string{"hop"}, rest[:i+1], []string{value}, rest[i+1:])
				return fmt.Errorf("hop %s takes the profile as its first argument, not --profile: %s", word, export.CommandLine("bash", line...))
			}
		}
	}
	// Commands without a profile: kong's "unknown flag" says it.
	return nil
}

// commandName is the first word of the command ctx selected, or "".
func commandName(ctx *kong.Context) string {
	if ctx == nil || ctx.Selected() == nil {
		return ""
	}
	word, _, _ := strings.Cut(ctx.Selected().Path(), " ")
	return word
}

// parserOptions build hop's command line; tests build the same one.
func parserOptions() []kong.Option {
	return []kong.Option{
		kong.Name("hop"),
		kong.Description("Temporary AWS credentials from SSO and role chains, in the child's environment only."),
		kong.Vars{"version": strings.TrimSuffix(version.Current().String(), "\n"), "backends": strings.Join(fetch.Backends(), ", "), "formats": strings.Join(export.Formats, ","), "accepted": strings.Join(export.Accepted(), ","), "exportformat": export.DefaultFormat},
	}
}

// Main runs hop-core on args (the command line without the program name)
// and exits with hop's status.
func Main(args []string) {
	// An exported but empty switch means "off" to a shell user; kong would
	// reject it as a malformed boolean.
	for _, name := range []string{"HOP_DEBUG", "HOP_NO_BROWSER"} {
		if v, ok := os.LookupEnv(name); ok && v == "" {
			os.Unsetenv(name)
		}
	}
	var cli CLI
	cli.Globals.passphrase = takePassphrase()
	// Before hop-core starts anything, or reads a key.
	shield()
	parser := kong.Must(&cli, parserOptions()...)
	// A shell asking for completions gets its answer here and hop exits,
	// before anything costly runs.
	completeRequest(parser)
	ctx, err := parser.Parse(args)
	if err != nil {
		var perr *kong.ParseError
		errors.As(err, &perr)
		usage := &usageError{err: err}
		if perr != nil {
			usage.ctx = perr.Context
		}
		if hint := profileFlagHint(parser, args, err); hint != nil {
			usage.err = hint
		} else if hint := awsVaultHint(commandName(usage.ctx), unknownFlag(err)); hint != "" {
			usage.err = errors.New(hint)
		}
		reportUsageError(parser, usage)
	}
	// Every command's waits watch the context a signal cancels.
	ctx.BindTo(signalled(), (*context.Context)(nil))
	err = withInterruption(signalled(), ctx.Run(&cli.Globals))
	if err != nil {
		var usage *usageError
		if errors.As(err, &usage) {
			if usage.ctx == nil {
				// The line parsed: show the usage of the command it names.
				usage.ctx = ctx
			}
			reportUsageError(parser, usage)
		}
		var child *exec.ExitError
		ofChild := errors.As(err, &child)
		if !ofChild && !errors.Is(err, errAlreadyReported) {
			// Errors quote config values, server answers and helpers'
			// output: data, never terminal control, and never a URL's
			// query, which can hold a session's keys.
			fmt.Fprintf(os.Stderr, "hop: %s\n", untrusted.Lines(withoutQueries(err.Error())))
		}
		var intr *fetch.Interrupted
		switch {
		case errors.As(err, &intr):
			exitBySignal(intr.Signal)
		case ofChild && child.Signal != 0:
			// A supervised child (exec --server) a signal killed: hop
			// dies of it too, as an exec'd child would have.
			exitBySignal(child.Signal)
		}
		os.Exit(exitCode(err))
	}
}

// urlQuery matches a URL's query (and fragment): a "?" followed by a
// name=value pair, up to a blank or a quote. It needs no whole URL before
// it, as a malformed URL in a parse error is not one.
var urlQuery = regexp.MustCompile(`\?[^\s"'<>?=&]+=[^\s"'<>]*`)

// withoutQueries drops the query of every URL in an error's text: a query
// can hold a session's keys (the console's federation request does), and
// errors from libraries quote whole URLs. What comes before it stays, to
// say where.
func withoutQueries(msg string) string {
	return urlQuery.ReplaceAllString(msg, "?…")
}

// Parser is hop's command line as hop-core parses it, for the tools that
// document it (internal/cmd/hop-docs writes the man page from its model).
// Its text is the same on every build host: the keyring backends, which
// differ by platform, are left to `hop help`.
func Parser() (*kong.Kong, error) {
	return kong.New(&CLI{}, append(parserOptions(), kong.Vars{"backends": "those this platform has: 'hop help' lists them"})...)
}
