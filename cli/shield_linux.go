package cli

import "golang.org/x/sys/unix"

// coreLimit is the core file limit hop-core started with.
var coreLimit *unix.Rlimit

// shield keeps hop-core's memory, which holds the keyring's passphrase
// and keys, from the processes it starts: they run as the same user, and
// a process that is not dumpable has its /proc/PID files (environ, mem)
// and ptrace refused to them, as ssh-agent does. No core file holds that
// memory either. Neither call can fail with these arguments.
func shield() {
	unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0)
	var lim unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_CORE, &lim) == nil {
		coreLimit = &lim
		// The hard limit stays: a child may raise its own again.
		unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: lim.Max})
	}
}

// unshield gives back the core limit before hop-core becomes the child
// (execve makes a process dumpable again by itself).
func unshield() {
	if coreLimit != nil {
		unix.Setrlimit(unix.RLIMIT_CORE, coreLimit)
	}
}
