// Package front is the hop on the user's PATH. It serves what runs most
// often itself: `hop init SHELL` at every shell start, `hop exec PROFILE
// [--] COMMAND` before every wrapped command, `hop export PROFILE` (which
// every SDK runs as a credential_process) and `hop renew` (a hop shell's
// prompt hook, once per expiry) when the target's session is cached and
// fresh, TAB on exec's profile argument, and `hop list` when the store it
// reads needs no keyring library. It links neither the AWS SDK, nor kong,
// nor the keyring library: their package initialisation alone costs more
// than that work. Every other command line, and every
// exec it cannot finish from the cache, goes unchanged to hop-core, the
// whole CLI, which also reports every error.
package front

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/hop-cli/hop/completions"
	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/store"
	"github.com/hop-cli/hop/exec"
	"github.com/hop-cli/hop/export"
	"github.com/hop-cli/hop/shellinit"
	"github.com/hop-cli/hop/untrusted"
)

// Line is a command line the front can serve.
type Line struct {
	// Command is "init", "exec", "export", "renew" or "list".
	Command string
	// Shell is init's argument, and renew's --shell.
	Shell string
	// Profile is the profile exec, export and renew are for. Args is
	// exec's command without a leading "--", empty for the user's shell.
	Profile string
	Args    []string
	// Format is export's --format.
	Format string
	// Hook is renew's --hook.
	Hook bool
	// JSON is list's --json.
	JSON bool
}

// Parse recognises a Line: one with no flags but list's --json, export's
// --format and renew's --shell and --hook, where the environment holds
// nothing that would change what hop-core does with it or that its parser
// would reject. Any other command line is false.
func Parse(args []string, getenv func(string) string) (Line, bool) {
	if getenv("COMP_LINE") != "" {
		return Line{}, false
	}
	debug, ok := envSwitch(getenv("HOP_DEBUG"))
	if !ok {
		return Line{}, false
	}
	if _, ok := envSwitch(getenv("HOP_NO_BROWSER")); !ok {
		return Line{}, false
	}
	plain := func(arg string) bool { return arg != "" && !strings.HasPrefix(arg, "-") }
	switch {
	case len(args) == 2 && args[0] == "init" && slices.Contains(shellinit.Shells(), args[1]):
		return Line{Command: "init", Shell: args[1]}, true
	case !debug && len(args) >= 2 && args[0] == "exec" && plain(args[1]) && (len(args) == 2 || args[2] == "--" || plain(args[2])):
		// Debug output comes from hop-core alone.
		l := Line{Command: "exec", Profile: args[1], Args: args[2:]}
		if len(l.Args) > 0 && l.Args[0] == "--" {
			l.Args = l.Args[1:]
		}
		return l, true
	case !debug && len(args) >= 1 && args[0] == "list" && (len(args) == 1 || len(args) == 2 && args[1] == "--json"):
		return Line{Command: "list", JSON: len(args) == 2}, true
	case !debug && len(args) >= 2 && (args[0] == "export" || args[0] == "renew"):
		return parseSession(args)
	}
	return Line{}, false
}

// parseSession reads `export PROFILE [--format F]` and `renew PROFILE
// --shell S [--hook]`, the flags before or after the profile, each at
// most once, as "--flag value", "--flag=value" or export's "-f value".
// Anything else is hop-core's.
func parseSession(args []string) (Line, bool) {
	l := Line{Command: args[0]}
	if l.Command == "export" {
		l.Format = export.DefaultFormat
	}
	seen := map[string]bool{}
	for i := 1; i < len(args); i++ {
		arg := args[i]
		name, value, hasValue := strings.Cut(arg, "=")
		switch {
		case arg != "" && !strings.HasPrefix(arg, "-"):
			if l.Profile != "" {
				return Line{}, false
			}
			l.Profile = arg
			continue
		case l.Command == "renew" && arg == "--hook":
			name = arg
			l.Hook = true
		case l.Command == "export" && (name == "--format" || !hasValue && name == "-f"),
			l.Command == "renew" && name == "--shell":
			if name == "-f" {
				name = "--format"
			}
			if !hasValue {
				if i+1 == len(args) {
					return Line{}, false
				}
				i++
				value = args[i]
			}
			if name == "--format" && slices.Contains(export.Accepted(), value) {
				l.Format = value
			} else if name == "--shell" && slices.Contains(export.RenewalShells, value) {
				l.Shell = value
			} else {
				return Line{}, false
			}
		default:
			return Line{}, false
		}
		if seen[name] {
			return Line{}, false
		}
		seen[name] = true
	}
	if l.Profile == "" || l.Command == "renew" && l.Shell == "" {
		return Line{}, false
	}
	return l, true
}

// envSwitch reads a boolean switch from the environment as hop-core's
// parser does; ok is false for a value it would reject.
func envSwitch(value string) (on, ok bool) {
	switch strings.ToLower(value) {
	case "", "false", "0", "no":
		return false, true
	case "true", "1", "yes":
		return true, true
	}
	return false, false
}

// Main serves args or hands them to hop-core. It does not return.
func Main(args []string) {
	if req, ok := completions.ReadRequest(os.Getenv, args); ok {
		// The longest list a user waits on is exec's profiles.
		if prefix, ok := req.ExecProfile(); ok {
			if req.WriteProfiles(os.Stdout, prefix, os.Getenv) == nil {
				os.Exit(0)
			}
		}
	}
	if l, ok := Parse(args, os.Getenv); ok {
		switch l.Command {
		case "init":
			if script, err := shellinit.Script(l.Shell); err == nil {
				if _, err := os.Stdout.WriteString(script); err == nil {
					os.Exit(0)
				}
			}
		case "exec":
			warmExec(l, os.Getenv)
		case "export", "renew":
			warmPrint(l, os.Getenv)
		case "list":
			serveList(l, os.Getenv)
		}
	}
	handOver(args)
}

// warmExec replaces the front with l's command when warmChild can
// prepare it. It returns when that cannot be done; hop-core then does the
// rest.
func warmExec(l Line, getenv func(string) string) {
	if cmd, env, ok := warmChild(l, getenv); ok {
		exec.WarnSwitch(os.Stderr, getenv, l.Profile)
		become(exec.Run(cmd, env))
	}
}

// loadConfig reads the config as hop-core does, through the index, so a
// warm exec costs the same with 50,000 profiles as with 5, and with stored
// keys looked up in the stores Peek reads (a chain's root with plaintext
// keys asks once).
func loadConfig(getenv func(string) string) (*config.Config, error) {
	configPath, credentialsPath := config.Paths(getenv)
	cfg, err := config.LoadIndexed(configPath, credentialsPath, config.IndexDir(getenv))
	if err == nil {
		cfg.HasStoredKey = store.PeekStoredKeys(getenv)
	}
	return cfg, err
}

// warmChild prepares l's command and environment when the target's
// session is cached and fresh, exactly as hop-core would from the same
// cache.
// Like hop-core it checks the profile before the command; either failing,
// hop-core reports it, with its exit status.
func warmChild(l Line, getenv func(string) string) (*exec.Command, []string, bool) {
	var cmd *exec.Command
	session, ok := warmSession(l.Profile, 0, getenv, func() bool {
		var err error
		cmd, err = exec.Lookup(l.Args, getenv)
		return err == nil
	})
	if !ok {
		return nil, nil, false
	}
	return cmd, exec.Environ(os.Environ(), session), true
}

// warmPrint prints what `hop export` or `hop renew` prints when the
// target's session is cached with what hop-core would ask of it: a fresh
// session for export, one with export.RenewValidity left for renew. It
// returns, for hop-core to fetch, when there is none.
func warmPrint(l Line, getenv func(string) string) {
	validity := time.Duration(0)
	if l.Command == "renew" {
		validity = export.RenewValidity
	}
	session, ok := warmSession(l.Profile, validity, getenv, nil)
	if !ok {
		return
	}
	// Written whole or not at all: a session the format cannot hold is
	// hop-core's to report.
	var out bytes.Buffer
	var err error
	if l.Command == "renew" {
		err = export.WriteRenewal(&out, l.Shell, session)
	} else {
		err = export.Write(&out, l.Format, session)
	}
	if err != nil {
		return
	}
	if _, err := out.WriteTo(os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "hop: %s\n", untrusted.Lines(err.Error()))
		os.Exit(1)
	}
	os.Exit(0)
}

// warmSession is the session a child of profile gets, read from the
// cache as hop-core would read it, when the target's cached session has
// more than both creds.ReuseMargin and validity left. check, when not nil,
// runs after the profile resolves and before the cache is read, as
// hop-core checks exec's command; false from it is a miss.
func warmSession(profile string, validity time.Duration, getenv func(string) string, check func() bool) (exec.Session, bool) {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return exec.Session{}, false
	}
	chain, err := creds.Resolve(cfg, profile)
	if err != nil || !chain.Target().Cacheable() {
		return exec.Session{}, false
	}
	if check != nil && !check() {
		return exec.Session{}, false
	}
	data, ok := store.Peek(creds.SessionKey(chain, len(chain.Hops)-1, getenv), getenv)
	if !ok {
		return exec.Session{}, false
	}
	now := time.Now()
	cr, err := creds.ParseCached(data, now)
	if err != nil || !cr.Expires.After(now.Add(validity)) {
		return exec.Session{}, false
	}
	if cfg.Err() != nil {
		// A section read through the index did not check out.
		return exec.Session{}, false
	}
	return exec.ChildSession(chain.Session(cr), chain, "", getenv), true
}
