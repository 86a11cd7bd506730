package job

import (
	"os"
	osexec "os/exec"
	"os/signal"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// cldStopped is the siginfo code of a child that stopped (CLD_STOPPED).
const cldStopped = 5

// FollowStops makes a child that holds the terminal and stops (Ctrl-Z)
// stop hop too, so that the shell hop runs under sees a stopped job and
// gets its terminal back; when hop is continued it continues the child,
// handing it the terminal again if hop was continued in the foreground.
// Call the function it returns once the child has exited.
func (g *Group) FollowStops(cmd *osexec.Cmd) (done func()) {
	if !g.atTerminal {
		return func() {}
	}
	chld := make(chan os.Signal, 1)
	signal.Notify(chld, syscall.SIGCHLD)
	quit, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		for {
			if stopped(cmd.Process.Pid) {
				g.stopWith(cmd.Process.Pid)
			}
			select {
			case <-chld:
			case <-quit:
				return
			}
		}
	}()
	return func() {
		signal.Stop(chld)
		close(quit)
		<-finished
	}
}

// stopped reports, without reaping it, whether the child has stopped
// since it was last asked.
func stopped(pid int) bool {
	var info unix.Siginfo
	err := unix.Waitid(unix.P_PID, pid, &info, unix.WSTOPPED|unix.WNOHANG, nil)
	return err == nil && info.Signo == int32(syscall.SIGCHLD) && info.Code == cldStopped
}

// stopWith stops hop beside its stopped child, and continues the child
// once hop is continued.
func (g *Group) stopWith(pid int) {
	g.foreground(syscall.Getpgrp())
	// A signal to this very thread stops hop before the call returns (a
	// signal to the process may be taken by another thread, later). Where
	// no shell could continue hop (its group is orphaned) the kernel drops
	// it, and the child goes on at once, as if Ctrl-Z was never pressed.
	runtime.LockOSThread()
	syscall.Tgkill(syscall.Getpid(), syscall.Gettid(), syscall.SIGTSTP)
	runtime.UnlockOSThread()
	if fg, err := unix.IoctlGetInt(int(g.terminal.In().Fd()), unix.TIOCGPGRP); err == nil && fg == syscall.Getpgrp() {
		g.foreground(pid)
	}
	syscall.Kill(-pid, syscall.SIGCONT)
}
