package main

import "fmt"

// ExecCmd runs a command with a profile's credentials in its environment.
type ExecCmd struct {
	Profile string   `arg:"" help:"AWS profile to use." predictor:"profile"`
	Command []string `arg:"" optional:"" passthrough:"" help:"Command and arguments (default: $SHELL)."`
}

func (c *ExecCmd) Run() error {
	return fmt.Errorf("exec: not built yet")
}
