package job

import (
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"os/signal"
	"syscall"

	"github.com/hop-cli/hop/exec"
)

// Supervise starts the child and waits for it, for when hop must outlive
// its start (a credential server lives in hop). On a terminal the child
// runs as the terminal's foreground job, so the keys the user presses
// signal it alone, once; the signals sent to hop itself go to the child
// instead, which decides what they mean. It returns nil when the child
// exits 0, else an *ExitError with its status, or 128+N and the signal if
// signal N killed it.
func Supervise(c *exec.Command, env []string) error {
	sigs := make(chan os.Signal, 16)
	for _, s := range forwarded {
		signal.Notify(sigs, s)
	}
	defer signal.Stop(sigs)
	cmd := &osexec.Cmd{Path: c.Path, Args: c.Args, Env: env, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	group := Lend(cmd)
	if err := cmd.Start(); err != nil {
		group.TakeBack()
		return fmt.Errorf("starting %s: %w", c.Path, err)
	}
	followed := group.FollowStops(cmd)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				group.Signal(cmd, s.(syscall.Signal))
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	followed()
	group.TakeBack()
	var exit *osexec.ExitError
	if !errors.As(err, &exit) {
		return err
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return &exec.ExitError{Code: 128 + int(ws.Signal()), Signal: ws.Signal()}
	}
	return &exec.ExitError{Code: exit.ExitCode()}
}
