//go:build unix && !linux

package cli

import "syscall"

// defaultAction says whether sig, sent to hop, now ends it: Go's runtime
// does so, once nobody is notified, for SIGINT, SIGTERM and SIGHUP, but
// answers SIGQUIT or SIGABRT with a goroutine dump and ignores the rest;
// for those hop exits 128 plus the number.
func defaultAction(sig syscall.Signal) bool {
	switch sig {
	case syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP:
		return true
	}
	return false
}
