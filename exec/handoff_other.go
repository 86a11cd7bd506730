//go:build !unix

package exec

import "os"

// RunCore runs hop-core in the front's place with env as it is: there is
// no /proc to read it by here.
func RunCore(c *Command, env []string) error { return Run(c, env) }

// CorePassphrase takes the passphrase out of hop-core's environment.
func CorePassphrase() (string, error) {
	p := os.Getenv(PassphraseVar)
	os.Unsetenv(PassphraseVar)
	return p, nil
}
