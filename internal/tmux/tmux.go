// Package tmux is the tests' one terminal driver: a real terminal, in a tmux
// server of its own, whose screen a test reads as a user sees it. The
// whole-binary tests (e2e), the prompt tests (shellinit) and the completion
// tests (completions) all drive their shells through it.
package tmux

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Options shape a pane. The zero value is a 200x50 terminal with no tmux
// configuration, waited on for two minutes at most.
type Options struct {
	Width, Height int
	// Conf is the tmux configuration, for example "set -g remain-on-exit
	// on"; empty, tmux reads none.
	Conf string
	// Dir is the pane's working directory; empty, the test's.
	Dir string
	// Limit bounds Poll and WaitFor. It only stops a hung test: waits end
	// on what the screen shows, never on time.
	Limit time.Duration
}

// Pane is one terminal: the only window of a tmux server that ends with the
// test.
type Pane struct {
	t     testing.TB
	tmux  []string
	pid   int
	limit time.Duration
}

// Start runs argv (not through a shell) in a new tmux server, which is
// killed when the test ends. It fails the test when tmux is missing.
func Start(t testing.TB, o Options, argv ...string) *Pane {
	t.Helper()
	bin, err := exec.LookPath("tmux")
	if err != nil {
		t.Fatal("tmux is needed for the terminal tests (.ci/run installs it)")
	}
	if o.Width == 0 {
		o.Width, o.Height = 200, 50
	}
	if o.Limit == 0 {
		o.Limit = 2 * time.Minute
	}
	// A short directory: unix socket paths are limited to about 100 bytes.
	// tmux leaves its socket behind after kill-server, so it goes in here.
	dir, err := os.MkdirTemp("", "hoptmux")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	conf := "/dev/null"
	if o.Conf != "" {
		conf = filepath.Join(dir, "tmux.conf")
		if err := os.WriteFile(conf, []byte(o.Conf), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p := &Pane{t: t, tmux: []string{bin, "-S", filepath.Join(dir, "s"), "-f", conf}, limit: o.Limit}
	args := []string{"new-session", "-d", "-x", strconv.Itoa(o.Width), "-y", strconv.Itoa(o.Height), "-s", "main"}
	if o.Dir != "" {
		args = append(args, "-c", o.Dir)
	}
	p.Run(append(append(args, "--"), argv...)...)
	// argv is run directly, so the pane's process is argv[0] (or what it
	// execs).
	if p.pid, err = strconv.Atoi(strings.TrimSpace(p.Run("display-message", "-p", "-t", "main", "#{pane_pid}"))); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		exec.Command(p.tmux[0], append(p.tmux[1:], "kill-server")...).Run()
		// A shell writes its history as it dies of the hangup: let it
		// finish before the test's temporary HOME is removed, and end
		// whatever ignored the hangup.
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if !alive(p.pid) {
				return
			}
		}
		kill(p.pid)
	})
	return p
}

// StartScript runs the shell script script in a new pane, as Start does. The
// script reaches /bin/sh byte for byte, with no tmux or shell parsing on
// the way, so hostile values in it stay data.
func StartScript(t testing.TB, o Options, script string) *Pane {
	t.Helper()
	path := filepath.Join(t.TempDir(), "start.sh")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	return Start(t, o, "/bin/sh", path)
}

// Run runs a tmux command against the pane's server and returns its output.
func (p *Pane) Run(args ...string) string {
	p.t.Helper()
	cmd := exec.Command(p.tmux[0], append(p.tmux[1:], args...)...)
	// A tmux client inside tmux refuses to start a session without this.
	cmd.Env = append(os.Environ(), "TMUX=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// PID is the pane's process.
func (p *Pane) PID() int { return p.pid }

// Type types s, literally, without pressing anything else.
func (p *Pane) Type(s string) { p.Run("send-keys", "-t", "main", "-l", "--", s) }

// Press sends named keys, such as Enter, Escape or C-c.
func (p *Pane) Press(keys ...string) { p.Run(append([]string{"send-keys", "-t", "main"}, keys...)...) }

// Paste pastes text as a terminal does: in one piece, its newlines sent
// as Enter.
func (p *Pane) Paste(text string) {
	p.Run("set-buffer", "--", text)
	p.Run("paste-buffer", "-t", "main")
}

// TypeLine types text and presses Enter.
func (p *Pane) TypeLine(text string) {
	p.t.Helper()
	p.Type(text)
	p.Press("Enter")
}

// Capture is the screen as capture-pane -p prints it, with flags added
// (-J to join wrapped lines, -S -N for history, -e for colours).
func (p *Pane) Capture(flags ...string) string {
	return p.Run(append([]string{"capture-pane", "-p", "-t", "main"}, flags...)...)
}

// Screen is the screen and the history above it, wrapped lines joined.
func (p *Pane) Screen() string { return p.Capture("-J", "-S", "-300") }

// CursorRow is the cursor's row on the screen, from 0 at the top.
func (p *Pane) CursorRow() int {
	p.t.Helper()
	row, err := strconv.Atoi(strings.TrimSpace(p.Run("display-message", "-p", "-t", "main", "#{cursor_y}")))
	if err != nil {
		p.t.Fatalf("tmux cursor row: %v", err)
	}
	return row
}

// Poll waits until ok, failing the test with what it waited for and the
// screen once the pane's limit passes.
func (p *Pane) Poll(what string, ok func() bool) {
	p.t.Helper()
	for deadline := time.Now().Add(p.limit); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			p.t.Fatalf("waited %s for %s; screen:\n%s", p.limit, what, p.Screen())
		}
	}
}

// WaitFor waits until the screen shows s, and returns the screen.
func (p *Pane) WaitFor(s string) string {
	p.t.Helper()
	var screen string
	p.Poll("the terminal to show "+strconv.Quote(s), func() bool {
		screen = p.Screen()
		return strings.Contains(screen, s)
	})
	return screen
}
