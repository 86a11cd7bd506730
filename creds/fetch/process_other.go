//go:build !unix

package fetch

import osexec "os/exec"

// processGroup is the helper alone where there are no process groups.
type processGroup struct{ atTerminal bool }

func newProcessGroup(*osexec.Cmd) *processGroup { return &processGroup{} }

func (g *processGroup) kill(cmd *osexec.Cmd) { cmd.Process.Kill() }

func (g *processGroup) takeBack() {}
