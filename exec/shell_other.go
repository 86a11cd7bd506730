//go:build !windows

package exec

// defaultShell is the user's login shell, as SHELL names it.
func defaultShell(getenv func(string) string) string {
	if shell := getenv("SHELL"); shell != "" {
		return shell
	}
	return "/bin/sh"
}
