//go:build unix

package job

import "syscall"

// forwarded are the signals a supervised child gets from hop: the ones a
// terminal, a job controller or a supervisor sends to stop, quit or resize.
var forwarded = []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGWINCH}
