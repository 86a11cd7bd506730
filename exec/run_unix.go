//go:build unix

package exec

import "syscall"

// Run replaces hop with the child, so its exit status, signals and terminal
// are the child's own. It returns only on failure.
func Run(c *Command, env []string) error {
	if err := syscall.Exec(c.Path, c.Args, env); err != nil {
		return cannotRun(c.Path, err)
	}
	return nil
}
