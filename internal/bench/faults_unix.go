//go:build unix

package bench

import (
	"os"
	"syscall"
)

// minorFaults is the minor page faults the finished process took.
func minorFaults(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Minflt)
	}
	return 0
}
