//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package tty

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"unicode/utf8"

	"golang.org/x/sys/unix"
)

// readLine reads a line with the terminal quiet: it neither echoes nor
// edits nor turns keys into signals, so that nothing typed or pasted
// ahead of a question shows by itself. hop echoes a visible answer, edits
// the line (erase, word erase, kill) and sends the signals of Ctrl-C,
// Ctrl-\ and Ctrl-Z itself, as the terminal would.
//
// Ctrl-Z is read rather than caught: Go's runtime cannot give a caught
// SIGTSTP its default action back, so a stop could not be re-raised. hop
// puts the terminal back as it was, stops its process group with SIGTSTP
// (ignored by the kernel, as it should be, where no shell could resume
// it), and once continued makes the terminal quiet again, as it does on
// any SIGCONT: a shell restores its own modes when a job stops, and
// leaves them so when it resumes it.
func (t *Terminal) readLine(ctx context.Context, prompt string, secret bool) (string, error) {
	fd := int(t.in.Fd())
	saved, err := unix.IoctlGetTermios(fd, getTermios)
	if err != nil {
		return "", fmt.Errorf("reading the terminal's settings: %w", err)
	}
	quiet := *saved
	quiet.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG
	quiet.Cc[unix.VMIN], quiet.Cc[unix.VTIME] = 1, 0
	l := &lineEditor{
		out: t.out, prompt: prompt, secret: secret,
		erase: saved.Cc[unix.VERASE], werase: saved.Cc[unix.VWERASE], kill: saved.Cc[unix.VKILL], eof: saved.Cc[unix.VEOF],
		intr: saved.Cc[unix.VINTR], quit: saved.Cc[unix.VQUIT], susp: saved.Cc[unix.VSUSP],
	}
	q := holdQuiet(fd, saved, &quiet, l.redraw)
	l.suspend = func() {
		if saved.Lflag&unix.NOFLSH == 0 {
			t.DiscardTypeAhead()
		}
		q.suspend()
	}
	fmt.Fprint(t.out, prompt)
	read := make(chan error, 1)
	go func() { read <- l.read(t.in) }()
	select {
	case err = <-read:
	case <-ctx.Done():
		// A blocked read cannot be interrupted; it is abandoned, as hop
		// is on its way out.
	}
	q.release()
	fmt.Fprintln(t.out)
	return l.text(), err
}

// quietHold keeps a terminal quiet while hop reads from it.
type quietHold struct {
	fd            int
	saved, quiet  *unix.Termios
	resumed       func()
	conts         chan os.Signal
	done, stopped chan struct{}
	// mu orders the mode changes and suspended.
	mu        sync.Mutex
	suspended bool
}

// holdQuiet makes the terminal quiet, and quiet again on every SIGCONT,
// calling resumed after a stop hop asked for, until release.
func holdQuiet(fd int, saved, quiet *unix.Termios, resumed func()) *quietHold {
	q := &quietHold{fd: fd, saved: saved, quiet: quiet, resumed: resumed,
		conts: make(chan os.Signal, 1), done: make(chan struct{}), stopped: make(chan struct{})}
	// SIGCONT is safe to catch: the kernel continues hop all the same.
	signal.Notify(q.conts, unix.SIGCONT)
	q.set(quiet)
	go q.watch()
	return q
}

func (q *quietHold) watch() {
	defer close(q.stopped)
	for {
		select {
		case <-q.done:
			return
		case <-q.conts:
			q.mu.Lock()
			// In the background, a mode change would stop hop (SIGTTOU);
			// the shell sends SIGCONT again when it brings hop back.
			if q.foreground() {
				q.set(q.quiet)
				if q.suspended {
					q.suspended = false
					q.resumed()
				}
			}
			q.mu.Unlock()
		}
	}
}

// suspend puts the terminal back as it was and stops hop's process group,
// as Ctrl-Z would with the terminal's own signals on.
func (q *quietHold) suspend() {
	q.mu.Lock()
	q.set(q.saved)
	q.suspended = true
	q.mu.Unlock()
	unix.Kill(0, unix.SIGTSTP)
	// Continued, or never stopped (no shell could have resumed hop).
	q.mu.Lock()
	if q.foreground() {
		q.set(q.quiet)
	}
	q.mu.Unlock()
}

// release stops holding the terminal and puts it back as it was.
func (q *quietHold) release() {
	close(q.done)
	<-q.stopped
	signal.Stop(q.conts)
	q.set(q.saved)
}

func (q *quietHold) set(mode *unix.Termios) { unix.IoctlSetTermios(q.fd, setTermios, mode) }

// foreground says whether hop's process group holds the terminal.
func (q *quietHold) foreground() bool {
	pgrp, err := unix.IoctlGetInt(q.fd, unix.TIOCGPGRP)
	return err == nil && pgrp == unix.Getpgrp()
}

// lineEditor is the line being typed at a quiet terminal, shown unless
// it is secret.
type lineEditor struct {
	out    io.Writer
	prompt string
	secret bool
	// The terminal's control characters, as the user set them.
	erase, werase, kill, eof, intr, quit, susp byte
	suspend                                    func()

	mu   sync.Mutex
	line []byte
}

// read takes keys until the end of the line.
func (l *lineEditor) read(in io.Reader) error {
	b := make([]byte, 1)
	for {
		n, err := in.Read(b)
		if n == 1 {
			if end, err := l.key(b[0]); end {
				return err
			}
		}
		if err != nil {
			return err
		}
	}
}

// key takes one byte typed; end is set when the line is done.
func (l *lineEditor) key(c byte) (end bool, err error) {
	is := func(cc byte) bool { return c == cc && cc != vdisable }
	switch {
	case c == '\n' || c == '\r':
		return true, nil
	case is(l.intr):
		unix.Kill(0, unix.SIGINT)
	case is(l.quit):
		unix.Kill(0, unix.SIGQUIT)
	case is(l.susp):
		l.suspend()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case is(l.intr) || is(l.quit) || is(l.susp):
	case is(l.eof):
		if len(l.line) == 0 {
			return true, io.EOF
		}
	case is(l.erase) || c == 0x7f || c == '\b':
		l.rubout(1)
	case is(l.werase):
		n := 0
		for i := len(l.line) - 1; i >= 0 && l.line[i] == ' '; i-- {
			n++
		}
		for i := len(l.line) - 1 - n; i >= 0 && l.line[i] != ' '; i-- {
			if utf8.RuneStart(l.line[i]) {
				n++
			}
		}
		l.rubout(n)
	case is(l.kill):
		l.rubout(utf8.RuneCount(l.line))
	case c < ' ':
		// Other control characters are not part of an answer, and would
		// drive the terminal if shown.
	default:
		l.line = append(l.line, c)
		l.show(c)
	}
	return false, nil
}

// rubout drops the last n characters of the line.
func (l *lineEditor) rubout(n int) {
	for ; n > 0 && len(l.line) > 0; n-- {
		_, size := utf8.DecodeLastRune(l.line)
		l.line = l.line[:len(l.line)-size]
		if !l.secret {
			io.WriteString(l.out, "\b \b")
		}
	}
}

func (l *lineEditor) show(c byte) {
	if !l.secret {
		l.out.Write([]byte{c})
	}
}

// redraw shows the question again, and the answer so far unless it is
// secret, after a stop: the screen now ends with the shell's lines.
func (l *lineEditor) redraw() {
	l.mu.Lock()
	defer l.mu.Unlock()
	io.WriteString(l.out, l.prompt)
	if !l.secret {
		l.out.Write(l.line)
	}
}

func (l *lineEditor) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.line)
}
