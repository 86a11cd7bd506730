//go:build !unix

package exec

import "syscall"

var forwarded = []syscall.Signal{syscall.SIGINT, syscall.SIGTERM}
