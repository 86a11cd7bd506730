package main

// exitCode maps an error to hop's exit status. Only main decides exit codes.
func exitCode(err error) int {
	return 1
}
