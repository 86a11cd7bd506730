//go:build linux

package bench

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// FirstDraw starts c on a new pseudo-terminal of its own, as its
// controlling terminal, and times how long it takes to write want there:
// for an interactive program, the wait before the user sees it. Then it
// sends keys (such as Ctrl-C) and waits for c to exit.
func FirstDraw(c Command, want, keys string) (time.Duration, error) {
	master, terminal, err := openTerminal()
	if err != nil {
		return 0, err
	}
	defer master.Close()
	cmd := exec.Command(c.Path, c.Args...)
	cmd.Env, cmd.Dir = c.Env, c.Dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = terminal, terminal, terminal
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		terminal.Close()
		return 0, err
	}
	terminal.Close()
	var seen bytes.Buffer
	buf := make([]byte, 64<<10)
	took := time.Duration(0)
	master.SetReadDeadline(time.Now().Add(10 * time.Second))
	for took == 0 {
		n, err := master.Read(buf)
		seen.Write(buf[:n])
		if bytes.Contains(seen.Bytes(), []byte(want)) {
			took = time.Since(start)
			break
		}
		if err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return 0, fmt.Errorf("%s never wrote %q to its terminal (%v); it wrote %q", c.Path, want, err, seen.String())
		}
	}
	if _, err := master.WriteString(keys); err != nil {
		cmd.Process.Kill()
	}
	// Keep reading, so the program never blocks on a full terminal.
	go func() {
		for {
			if _, err := master.Read(buf); err != nil {
				return
			}
		}
	}()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
		return 0, errors.New(c.Path + " did not exit after the keys " + strconv.Quote(keys))
	}
	return took, nil
}

// openTerminal opens a new pseudo-terminal pair, 150 columns by 40 rows.
// The master stays in Go's poller (no Fd call, which would make it
// blocking), so its reads honour deadlines.
func openTerminal() (master, terminal *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	conn, err := master.SyscallConn()
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	var n uint32
	var ioctlErr error
	err = conn.Control(func(fd uintptr) {
		if ioctlErr = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); ioctlErr != nil {
			return
		}
		if n, ioctlErr = unix.IoctlGetUint32(int(fd), unix.TIOCGPTN); ioctlErr != nil {
			return
		}
		ioctlErr = unix.IoctlSetWinsize(int(fd), unix.TIOCSWINSZ, &unix.Winsize{Row: 40, Col: 150})
	})
	if err = errors.Join(err, ioctlErr); err != nil {
		master.Close()
		return nil, nil, err
	}
	terminal, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	return master, terminal, nil
}
