// Package front is the hop on the user's PATH. It serves what runs most
// often itself: `hop init SHELL` at every shell start, `hop exec PROFILE
// [--] COMMAND` before every wrapped command when the target's session is
// cached and fresh, TAB on exec's profile argument, and `hop list` when
// the store it reads needs no keyring library. It links neither the AWS
// SDK, nor kong, nor the keyring library: their package initialisation
// alone costs more than that work. Every other command line, and every
// exec it cannot finish from the cache, goes unchanged to hop-core, the
// whole CLI, which also reports every error.
package front

import (
	"os"
	"slices"
	"strings"
	"time"

	"github.com/hop-cli/hop/completions"
	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/store"
	"github.com/hop-cli/hop/exec"
	"github.com/hop-cli/hop/shellinit"
)

// Line is a command line the front can serve.
type Line struct {
	// Command is "init", "exec" or "list".
	Command string
	// Shell is init's argument.
	Shell string
	// Profile and Args are exec's: Args is the command without a leading
	// "--", empty for the user's shell.
	Profile string
	Args    []string
	// JSON is list's --json.
	JSON bool
}

// Parse recognises a Line: one with no flags but list's --json, where the
// environment holds nothing that would change what hop-core does with it
// or that its parser would reject. Any other command line is false.
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
	}
	return Line{}, false
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
	cfg, err := loadConfig(getenv)
	if err != nil {
		return nil, nil, false
	}
	chain, err := creds.Resolve(cfg, l.Profile)
	if err != nil || !chain.Target().Cacheable() {
		return nil, nil, false
	}
	cmd, err := exec.Lookup(l.Args, getenv)
	if err != nil {
		return nil, nil, false
	}
	data, ok := store.Peek(creds.SessionKey(chain, len(chain.Hops)-1, getenv), getenv)
	if !ok {
		return nil, nil, false
	}
	cr, err := creds.ParseCached(data, time.Now())
	if err != nil {
		return nil, nil, false
	}
	if cfg.Err() != nil {
		// A section read through the index did not check out.
		return nil, nil, false
	}
	session := exec.ChildSession(chain.Session(cr), chain, "", getenv)
	return cmd, exec.Environ(os.Environ(), session), true
}
