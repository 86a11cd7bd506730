//go:build !unix

package job

import (
	osexec "os/exec"
	"syscall"
)

// Group is the child alone where there are no process groups.
type Group struct{}

func Own(*osexec.Cmd) *Group  { return &Group{} }
func Lend(*osexec.Cmd) *Group { return &Group{} }

func (g *Group) AtTerminal() bool { return false }

func (g *Group) Signal(cmd *osexec.Cmd, sig syscall.Signal) { cmd.Process.Signal(sig) }

func (g *Group) Kill(cmd *osexec.Cmd) { cmd.Process.Kill() }

func (g *Group) TakeBack() {}
