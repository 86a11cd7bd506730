package exec

// defaultShell is the command interpreter Windows names in COMSPEC, as
// cmd.exe's own `start` does; SHELL is a Unix convention there.
func defaultShell(getenv func(string) string) string {
	if shell := getenv("COMSPEC"); shell != "" {
		return shell
	}
	return "cmd.exe"
}
