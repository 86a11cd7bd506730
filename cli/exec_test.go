package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

// TestExecArgs: exec's optional profile before a passthrough command reads
// as a user means it, through hop-core's own parser.
func TestExecArgs(t *testing.T) {
	for _, c := range []struct {
		line    string
		profile string
		command []string
	}{
		{"exec", "", nil},
		{"exec --", "", nil},
		{"exec -- ls -l", "", []string{"ls", "-l"}},
		{"exec -- dev", "", []string{"dev"}},
		{"exec -- --weird x", "", []string{"--weird", "x"}},
		{"exec --region eu-west-1 -- ls", "", []string{"ls"}},
		{"exec dev", "dev", nil},
		{"exec dev --", "dev", nil},
		{"exec dev -- ls -l", "dev", []string{"ls", "-l"}},
		{"exec dev ls -l", "dev", []string{"ls", "-l"}},
		{"exec dev -- dev", "dev", []string{"dev"}},
		{"exec dev ls -- x", "dev", []string{"ls", "--", "x"}},
		{"exec dev -- -- x", "dev", []string{"--", "x"}},
		{"exec dev --region eu-west-1 -- ls", "dev", []string{"ls"}},
	} {
		t.Run(c.line, func(t *testing.T) {
			var cli CLI
			parser, err := kong.New(&cli, parserOptions()...)
			if err != nil {
				t.Fatal(err)
			}
			k, err := parser.Parse(strings.Fields(c.line))
			if err != nil {
				t.Fatal(err)
			}
			profile, command := execArgs(k.Args, cli.Exec.Profile, cli.Exec.Command)
			if profile != c.profile || !slices.Equal(command, c.command) {
				t.Errorf("profile %q, command %q; want %q, %q", profile, command, c.profile, c.command)
			}
		})
	}
}
