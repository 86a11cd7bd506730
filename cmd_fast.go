package main

import (
	"slices"
	"strings"

	"github.com/hop-cli/hop/shellinit"
)

// fastCLI recognises the two command lines that run most often, `hop exec
// PROFILE [[--] COMMAND...]` before every wrapped command and `hop init
// SHELL` at every shell start, when they carry no flag and the environment
// holds nothing kong would reject, and fills in the CLI as kong would.
// Building kong's model of all of hop's commands costs a fifth of a warm
// exec's start-up (on a VM where a page fault is dear, 120 to 160 of its
// 750 faults). Any other command line returns false and goes to kong;
// TestFastCLIMatchesKong keeps the two in step.
func fastCLI(args []string, getenv func(string) string) (cli *CLI, command string, ok bool) {
	if getenv("COMP_LINE") != "" {
		return nil, "", false
	}
	debug, ok := envSwitch(getenv("HOP_DEBUG"))
	if !ok {
		return nil, "", false
	}
	noBrowser, ok := envSwitch(getenv("HOP_NO_BROWSER"))
	if !ok {
		return nil, "", false
	}
	plain := func(arg string) bool { return arg != "" && !strings.HasPrefix(arg, "-") }
	cli = &CLI{Globals: Globals{Debug: debug, Backend: getenv("HOP_BACKEND")}}
	switch {
	case len(args) == 2 && args[0] == "init" && slices.Contains(shellinit.Shells(), args[1]):
		cli.Init.Shell = args[1]
		return cli, "init", true
	case len(args) >= 2 && args[0] == "exec" && plain(args[1]) && (len(args) == 2 || args[2] == "--" || plain(args[2])):
		cli.Exec.Profile = args[1]
		if len(args) > 2 {
			cli.Exec.Command = args[2:]
		}
		cli.Exec.Session.Login.NoBrowser = noBrowser
		return cli, "exec", true
	}
	return nil, "", false
}

// envSwitch reads a boolean switch from the environment as kong does;
// ok is false for a value kong would reject, so that kong reports it.
func envSwitch(value string) (on, ok bool) {
	switch strings.ToLower(value) {
	case "", "false", "0", "no":
		return false, true
	case "true", "1", "yes":
		return true, true
	}
	return false, false
}

// fastCommand is the command fastCLI recognised, ready to run.
func fastCommand(args []string, getenv func(string) string) (run func() error, ok bool) {
	cli, command, ok := fastCLI(args, getenv)
	switch {
	case !ok:
		return nil, false
	case command == "init":
		return cli.Init.Run, true
	}
	return func() error { return cli.Exec.Run(&cli.Globals) }, true
}
