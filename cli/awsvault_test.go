package cli

import (
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

// TestAWSVaultHintsNameNoFlagOfHops: a flag awsVaultFlags answers for a
// command is no flag (name, alias or short) that command has, or its
// hint would never be seen, or would contradict hop's own flag; and each
// command it names is one of hop's.
func TestAWSVaultHintsNameNoFlagOfHops(t *testing.T) {
	parser, err := kong.New(&CLI{}, parserOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	flagsOf := func(node *kong.Node) map[string]bool {
		have := map[string]bool{}
		for _, group := range node.AllFlags(false) {
			for _, f := range group {
				have["--"+f.Name] = true
				for _, a := range f.Aliases {
					have["--"+a] = true
				}
				if f.Short != 0 {
					have["-"+string(f.Short)] = true
				}
			}
		}
		return have
	}
	commands := map[string]*kong.Node{"": parser.Model.Node}
	for _, node := range parser.Model.Children {
		commands[node.Name] = node
	}
	tables := map[string]map[string]string{"backends": otherBackends}
	for command, flags := range awsVaultFlags {
		tables[command] = flags
	}
	commands["backends"] = parser.Model.Node
	for command, flags := range tables {
		node, ok := commands[command]
		if !ok {
			t.Errorf("awsVaultFlags names command %q, which hop has not", command)
			continue
		}
		nodes := []*kong.Node{node}
		if command == "" || command == "backends" {
			// aws-vault's global flags are answered on every command.
			nodes = parser.Model.Children
		}
		for _, n := range nodes {
			have := flagsOf(n)
			for flag, hint := range flags {
				if have[flag] {
					t.Errorf("hop %s has %s, which awsVaultFlags answers with %q", n.Name, flag, hint)
				}
				if !strings.HasPrefix(flag, "-") || hint == "" {
					t.Errorf("awsVaultFlags[%q][%q] = %q", command, flag, hint)
				}
			}
		}
	}
}
