package main

import "fmt"

// CompletionsCmd prints a completion script.
type CompletionsCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish" help:"Shell to complete in: bash, zsh or fish."`
}

func (c *CompletionsCmd) Run() error {
	return fmt.Errorf("completions: not built yet")
}
