package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pane is a real terminal, in a tmux server of its own, whose screen a
// test reads as the user would.
type pane struct {
	t    *testing.T
	tmux []string
}

// startPane runs the shell script start in a new tmux server, under a
// configuration file holding conf, and stops the server when the test
// ends.
func startPane(t *testing.T, start, conf string) *pane {
	t.Helper()
	tmuxBin, err := exec.LookPath("tmux")
	if err != nil {
		t.Fatal("tmux is needed for the terminal tests (.ci/run installs it)")
	}
	// A short directory: unix socket paths are limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "hoptty")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	files := map[string]string{"start.sh": start, "tmux.conf": conf}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p := &pane{t: t, tmux: []string{tmuxBin, "-S", filepath.Join(dir, "s"), "-f", filepath.Join(dir, "tmux.conf")}}
	p.run("new-session", "-d", "-x", "200", "-y", "50", "-s", "main", "/bin/sh "+shellQuote(filepath.Join(dir, "start.sh")))
	t.Cleanup(func() { exec.Command(p.tmux[0], append(p.tmux[1:], "kill-server")...).Run() })
	return p
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func (p *pane) run(args ...string) string {
	p.t.Helper()
	cmd := exec.Command(p.tmux[0], append(p.tmux[1:], args...)...)
	cmd.Env = append(os.Environ(), "TMUX=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// typeText types s without pressing anything else.
func (p *pane) typeText(s string) { p.run("send-keys", "-t", "main", "-l", "--", s) }

// press sends named keys, such as Enter or Escape.
func (p *pane) press(keys ...string) { p.run(append([]string{"send-keys", "-t", "main"}, keys...)...) }

// paste pastes text as a terminal does: in one piece, its newlines sent
// as Enter.
func (p *pane) paste(text string) {
	p.run("set-buffer", "--", text)
	p.run("paste-buffer", "-t", "main")
}

// typeLine types text and presses Enter.
func (p *pane) typeLine(text string) {
	p.t.Helper()
	p.typeText(text)
	p.press("Enter")
}

func (p *pane) screen() string { return p.run("capture-pane", "-p", "-J", "-t", "main", "-S", "-200") }

// waitFor waits until the screen shows s, and returns the screen.
func (p *pane) waitFor(s string) string {
	p.t.Helper()
	var screen string
	for deadline := time.Now().Add(hopRunLimit); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if screen = p.screen(); strings.Contains(screen, s) {
			return screen
		}
	}
	p.t.Fatalf("the terminal never showed %q; screen:\n%s", s, screen)
	return ""
}
