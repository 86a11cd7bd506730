//go:build unix

package fetch

import (
	"os"
	osexec "os/exec"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// processGroup puts a helper in a process group of its own, so that all
// it started can be killed together, and lends it the terminal when hop
// holds it.
type processGroup struct {
	// atTerminal is set while the helper holds the terminal.
	atTerminal bool
	tty        *os.File
	state      *term.State
}

func newProcessGroup(cmd *osexec.Cmd) *processGroup {
	g := &processGroup{}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return g
	}
	fd := int(tty.Fd())
	// Only the terminal's foreground group may hand it on; a hop in the
	// background leaves its helper without it.
	if fg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err != nil || fg != syscall.Getpgrp() {
		tty.Close()
		return g
	}
	g.atTerminal, g.tty = true, tty
	// The helper may turn echo off to ask for a secret and be killed
	// before it turns it back on.
	g.state, _ = term.GetState(fd)
	cmd.SysProcAttr.Foreground, cmd.SysProcAttr.Ctty = true, fd
	return g
}

// kill ends the helper and everything in its group.
func (g *processGroup) kill(cmd *osexec.Cmd) {
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}

// takeBack makes hop's group the terminal's foreground again and restores
// the terminal's modes, once the helper has ended.
func (g *processGroup) takeBack() {
	if !g.atTerminal {
		return
	}
	fd := int(g.tty.Fd())
	// A background group that sets the foreground is sent SIGTTOU, which
	// would stop hop, unless it ignores it.
	signal.Ignore(syscall.SIGTTOU)
	unix.IoctlSetPointerInt(fd, unix.TIOCSPGRP, syscall.Getpgrp())
	signal.Reset(syscall.SIGTTOU)
	if g.state != nil {
		term.Restore(fd, g.state)
	}
	g.tty.Close()
	g.atTerminal = false
}
