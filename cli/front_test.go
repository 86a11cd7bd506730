package cli

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/kong"

	"github.com/hop-cli/hop/front"
)

// TestFrontMatchesKong checks that the front (cmd/hop) serves only command
// lines that hop-core's kong parser reads, and reads them the same.
func TestFrontMatchesKong(t *testing.T) {
	for _, name := range []string{"COMP_LINE", "HOP_DEBUG", "HOP_NO_BROWSER", "HOP_BACKEND"} {
		t.Setenv(name, "")
		os.Unsetenv(name)
	}
	for _, c := range []struct {
		args []string
		env  map[string]string
		fast bool
	}{
		{args: []string{"exec", "dev", "--", "aws", "s3", "ls"}, fast: true},
		{args: []string{"exec", "dev"}, fast: true},
		{args: []string{"exec", "dev", "true"}, fast: true},
		{args: []string{"exec", "dev", "--"}, fast: true},
		{args: []string{"exec", "dev", "sh", "-c", "echo --region x"}, fast: true},
		{args: []string{"exec", "dev", "--", "--region", "x"}, fast: true},
		{args: []string{"exec", "dev", "--", "true"}, env: map[string]string{"HOP_BACKEND": "file"}, fast: true},
		{args: []string{"init", "zsh"}, fast: true},
		{args: []string{"init", "bash"}, env: map[string]string{"HOP_BACKEND": "keyctl"}, fast: true},
		{args: []string{"init", "fish"}, fast: true},

		{args: []string{"exec", "dev", "--region", "eu-west-1", "--", "true"}},
		{args: []string{"exec", "--debug", "dev", "true"}},
		{args: []string{"--debug", "exec", "dev", "true"}},
		{args: []string{"exec", "dev", "-h"}},
		{args: []string{"exec"}},
		// No profile: hop-core's picker.
		{args: []string{"exec", "--"}},
		{args: []string{"exec", "--", "ls", "-l"}},
		{args: []string{"init"}},
		{args: []string{"init", "tcsh"}},
		{args: []string{"init", "zsh", "extra"}},
		{args: []string{"init", "zhs"}},
		{args: []string{"help"}},
		// hop-core answers, so the two binaries cannot differ.
		{args: []string{"version"}},
		{args: []string{"version", "--json"}},
		{args: []string{"--version"}},
		// A typo, a flag exec does not have, a code hop-core refuses:
		// hop-core answers, so the two cannot differ.
		{args: []string{"exce", "dev"}},
		{args: []string{"exec", "--profile", "dev", "true"}},
		{args: []string{"exec", "dev", "--profile", "dev"}},
		{args: []string{"exec", "-t", "12345", "dev", "true"}},
		{args: []string{"help", "init"}},
		{args: []string{"export", "--format", "yml", "P"}},
		{args: []string{"export", "dev"}, fast: true},
		{args: []string{"export", "dev", "--format", "process"}, fast: true},
		{args: []string{"export", "--format", "json", "dev"}, fast: true},
		{args: []string{"export", "-f", "fish", "dev"}, fast: true},
		{args: []string{"export", "dev", "--format=powershell"}, fast: true},
		{args: []string{"export", "dev", "-f", "env-no-export"}, fast: true},
		{args: []string{"export", "dev", "--format", "ini"}, fast: true},
		{args: []string{"export", "dev", "--format", "export-env"}, fast: true},
		{args: []string{"export", "process", "-f", "env"}, fast: true},
		{args: []string{"renew", "dev", "--shell", "bash"}, fast: true},
		{args: []string{"renew", "--hook", "--shell", "zsh", "dev"}, fast: true},
		{args: []string{"renew", "--shell=fish", "dev", "--hook"}, fast: true},
		{args: []string{"renew", "--hook", "dev", "--shell", "bash"}, env: map[string]string{"HOP_NO_BROWSER": "1"}, fast: true},
		// No profile: hop-core's picker; flags the front does not read,
		// repeated, unknown or missing: hop-core's.
		{args: []string{"export"}},
		{args: []string{"export", "--format", "process"}},
		{args: []string{"export", "dev", "other"}},
		{args: []string{"export", "dev", "--format", "process", "--format", "json"}},
		{args: []string{"export", "dev", "--format"}},
		{args: []string{"export", "dev", "-fprocess"}},
		{args: []string{"export", "dev", "-f=process"}},
		{args: []string{"export", "dev", "--region", "eu-west-1"}},
		{args: []string{"export", "dev", "--"}},
		{args: []string{"export", "--", "dev"}},
		{args: []string{"export", "dev", "--debug"}},
		{args: []string{"export", "dev"}, env: map[string]string{"HOP_DEBUG": "1"}},
		{args: []string{"renew", "dev"}},
		{args: []string{"renew", "dev", "--shell", "tcsh"}},
		{args: []string{"renew", "dev", "--shell", "bash", "--hook", "--hook"}},
		{args: []string{"renew", "dev", "--shell", "bash", "--hook=false"}},
		{args: []string{"renew", "dev", "--shell", "bash", "--mfa-token", "123456"}},
		{args: []string{"renew", "--shell", "bash"}},
		{args: []string{"list"}, fast: true},
		{args: []string{"list", "--json"}, fast: true},
		{args: []string{"list"}, env: map[string]string{"HOP_BACKEND": "file", "HOP_NO_BROWSER": "1"}, fast: true},
		{args: []string{"list", "--json", "--json"}},
		{args: []string{"list", "--debug"}},
		{args: []string{"list", "--backend", "file"}},
		{args: []string{"list", "extra"}},
		// aws-vault's spellings: hop-core's.
		{args: []string{"exec", "dev", "-j"}},
		{args: []string{"exec", "-j", "dev"}},
		{args: []string{"exec", "dev", "--ecs-server", "--", "true"}},
		{args: []string{"exec", "dev", "-s", "true"}},
		{args: []string{"exec", "dev", "-d", "1h", "true"}},
		{args: []string{"exec", "dev", "-n", "true"}},
		{args: []string{"exec", "dev", "--stdout", "true"}},
		{args: []string{"exec", "dev", "--ec2-server"}},
		{args: []string{"list", "--profiles"}},
		{args: []string{"list", "--credentials"}},
		{args: []string{"list", "--sessions"}},
		{args: []string{"ls"}},
		{args: []string{"ls", "--json"}},
		{args: []string{"list"}, env: map[string]string{"HOP_DEBUG": "1"}},
		// Debug output comes from hop-core alone.
		{args: []string{"exec", "dev", "true"}, env: map[string]string{"HOP_DEBUG": "1"}},
		{args: []string{"exec", "dev", "true"}, env: map[string]string{"HOP_DEBUG": "Yes", "HOP_NO_BROWSER": "true"}},
		{args: []string{"exec", "dev", "true"}, env: map[string]string{"HOP_NO_BROWSER": "true"}, fast: true},
		{args: []string{"exec", "dev", "true"}, env: map[string]string{"HOP_DEBUG": "FALSE", "HOP_NO_BROWSER": "0"}, fast: true},
		{args: []string{"init", "zsh"}, env: map[string]string{"HOP_DEBUG": "true"}, fast: true},
		{args: []string{"exec", "dev", "true"}, env: map[string]string{"HOP_DEBUG": "maybe"}},
		{args: []string{"exec", "dev", "true"}, env: map[string]string{"HOP_NO_BROWSER": "on"}},
		{args: []string{"exec", "dev", "true"}, env: map[string]string{"COMP_LINE": "hop exec "}},
	} {
		name := strings.Join(c.args, " ")
		t.Run(name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			line, ok := front.Parse(c.args, os.Getenv)
			if ok != c.fast {
				t.Fatalf("the front took it: %v, want %v", ok, c.fast)
			}
			if !ok {
				return
			}
			var slow CLI
			parser, err := kong.New(&slow, parserOptions()...)
			if err != nil {
				t.Fatal(err)
			}
			ctx, err := parser.Parse(c.args)
			if err != nil {
				t.Fatalf("kong rejects a command line the front took: %v", err)
			}
			if word, _, _ := strings.Cut(ctx.Command(), " "); word != line.Command {
				t.Errorf("the front runs %q, kong %q", line.Command, ctx.Command())
			}
			args := slow.Exec.Command
			if len(args) > 0 && args[0] == "--" {
				args = args[1:]
			}
			if line.Command == "exec" && (slow.Debug || slow.Exec.Session != (sessionFlags{Login: slow.Exec.Session.Login})) {
				t.Errorf("kong reads flags the front ignores: %+v %+v", slow.Globals, slow.Exec.Session)
			}
			if line.Command == "list" && (slow.Debug || slow.Backend != os.Getenv("HOP_BACKEND") || line.JSON != slow.List.JSON) {
				t.Errorf("the front reads list as %+v, kong as %+v %+v", line, slow.Globals, slow.List)
			}
			switch line.Command {
			case "export":
				if slow.Debug || line.Profile != slow.Export.Profile || line.Format != slow.Export.Format ||
					slow.Export.Session != (sessionFlags{Login: slow.Export.Session.Login}) {
					t.Errorf("the front reads %+v, kong %+v %+v", line, slow.Globals, slow.Export)
				}
			case "renew":
				if slow.Debug || line.Profile != slow.Renew.Profile || line.Shell != slow.Renew.Shell || line.Hook != slow.Renew.Hook ||
					slow.Renew.MFAToken != "" {
					t.Errorf("the front reads %+v, kong %+v %+v", line, slow.Globals, slow.Renew)
				}
			default:
				if line.Shell != slow.Init.Shell || line.Profile != slow.Exec.Profile || !slices.Equal(line.Args, args) {
					t.Errorf("the front reads %+v, kong %+v %+v", line, slow.Init, slow.Exec)
				}
			}
		})
	}
}

// TestFrontKnowsEveryEnvironmentFlag fails when a flag on a path the front
// serves (exec, init, export, renew, list) gains an environment variable that the front neither reads nor
// leaves to hop-core.
func TestFrontKnowsEveryEnvironmentFlag(t *testing.T) {
	known := []string{"HOP_BACKEND", "HOP_DEBUG", "HOP_NO_BROWSER"}
	parser, err := kong.New(&CLI{}, parserOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	served := []string{"exec", "init", "export", "renew", "list"}
	checked := 0
	for _, node := range parser.Model.Children {
		if !slices.Contains(served, node.Name) {
			continue
		}
		checked++
		for _, group := range node.AllFlags(false) {
			for _, flag := range group {
				for _, env := range flag.Tag.Envs {
					if !slices.Contains(known, env) {
						t.Errorf("flag --%s of %s reads %s: teach the front (front.Parse) to read it, or to leave such command lines to hop-core", flag.Name, node.Name, env)
					}
				}
			}
		}
	}
	if checked != len(served) {
		t.Fatalf("found %d of the commands %q, want all", checked, served)
	}
}
