//go:build !linux

package cli

// shield does nothing here, where there is no /proc to read a process by;
// the passphrase is still kept out of hop-core's environment
// (exec.RunCore).
func shield() {}

func unshield() {}
