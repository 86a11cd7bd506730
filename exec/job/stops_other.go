//go:build !linux

package job

import osexec "os/exec"

// FollowStops does nothing where hop cannot tell, without reaping it, that
// a child stopped: a child stopped at the terminal waits for a SIGCONT
// from elsewhere (kill -CONT).
func (g *Group) FollowStops(*osexec.Cmd) (done func()) { return func() {} }
