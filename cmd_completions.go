package main

import (
	"os"

	"github.com/hop-cli/hop/completions"
)

// CompletionsCmd prints a completion script.
type CompletionsCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish" help:"Shell to complete in: bash, zsh or fish."`
}

func (c *CompletionsCmd) Run() error {
	return completions.Write(os.Stdout, c.Shell)
}
