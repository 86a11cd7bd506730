//go:build !unix

package job

import "syscall"

var forwarded = []syscall.Signal{syscall.SIGINT, syscall.SIGTERM}
