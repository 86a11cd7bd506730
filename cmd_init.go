package main

import "fmt"

// InitCmd prints the prompt integration for a shell.
type InitCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish" help:"Shell to integrate with: bash, zsh or fish."`
}

func (c *InitCmd) Run() error {
	return fmt.Errorf("init: not built yet")
}
