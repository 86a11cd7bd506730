//go:build unix

package job

import (
	osexec "os/exec"
	"os/signal"
	"syscall"

	"github.com/hop-cli/hop/tty"
	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// Group is a child's process group, set up before the child starts.
type Group struct {
	// own is set when the child leads a process group of its own.
	own bool
	// atTerminal is set while the child's group holds the terminal.
	atTerminal bool
	terminal   *tty.Terminal
	state      *term.State
}

// Own puts cmd in a process group of its own, so that all it starts can
// be signalled together, and lends it the terminal when hop holds it.
func Own(cmd *osexec.Cmd) *Group {
	g := Lend(cmd)
	if !g.own {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		g.own = true
	}
	return g
}

// Lend puts cmd in a process group of its own holding the terminal when
// hop holds it; otherwise cmd stays in hop's group, where whatever signals
// that group reaches it too.
func Lend(cmd *osexec.Cmd) *Group {
	g := &Group{}
	t, ok := tty.Open()
	if !ok {
		return g
	}
	fd := int(t.In().Fd())
	// Only the terminal's foreground group may hand it on; a hop in the
	// background leaves its child without it.
	if fg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err != nil || fg != syscall.Getpgrp() {
		t.Close()
		return g
	}
	g.own, g.atTerminal, g.terminal = true, true, t
	// The child may change the modes (echo off to ask for a secret, raw
	// for a full-screen program) and be killed before it restores them.
	g.state, _ = term.GetState(fd)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Foreground: true, Ctty: fd}
	return g
}

// AtTerminal tells whether the child holds the terminal.
func (g *Group) AtTerminal() bool { return g.atTerminal }

// Signal sends sig to the child's whole group when it has one of its own,
// else to the child alone.
func (g *Group) Signal(cmd *osexec.Cmd, sig syscall.Signal) {
	if g.own {
		syscall.Kill(-cmd.Process.Pid, sig)
		return
	}
	cmd.Process.Signal(sig)
}

// Kill ends the child and everything in its group.
func (g *Group) Kill(cmd *osexec.Cmd) { g.Signal(cmd, syscall.SIGKILL) }

// TakeBack makes hop's group the terminal's foreground again and restores
// the terminal's modes, once the child has ended.
func (g *Group) TakeBack() {
	if !g.atTerminal {
		return
	}
	g.foreground(syscall.Getpgrp())
	if g.state != nil {
		term.Restore(int(g.terminal.In().Fd()), g.state)
	}
	g.terminal.Close()
	g.atTerminal = false
}

// foreground makes pgrp the terminal's foreground group.
func (g *Group) foreground(pgrp int) error {
	// A background group that sets the foreground is sent SIGTTOU, which
	// would stop hop, unless it ignores it.
	signal.Ignore(syscall.SIGTTOU)
	defer signal.Reset(syscall.SIGTTOU)
	return unix.IoctlSetPointerInt(int(g.terminal.In().Fd()), unix.TIOCSPGRP, pgrp)
}
