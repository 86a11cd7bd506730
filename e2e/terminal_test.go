//go:build e2e && unix

package e2e

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/hop-cli/hop/internal/testenv"
	"github.com/hop-cli/hop/internal/tmux"
)

// pane is a real terminal whose screen a test reads as the user would.
type pane = tmux.Pane

// startPane runs the shell script start in a new tmux server, under a
// configuration file holding conf, and stops the server when the test
// ends.
func startPane(t *testing.T, start, conf string) *pane {
	t.Helper()
	return tmux.StartScript(t, tmux.Options{Conf: conf, Limit: hopRunLimit}, start)
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// TestChildOwnsTheTerminal: under a terminal, the child's stdin, stdout
// and stderr are that terminal, as a REPL or an editor needs; under pipes,
// they are those pipes.
func TestChildOwnsTheTerminal(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("warming the cache: %s", r.stderr)
	}

	// script(1) runs the command on a new pseudo-terminal.
	child := `[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo "all three are terminals"; tty; readlink /proc/$$/fd/0 /proc/$$/fd/1 /proc/$$/fd/2`
	cmd := exec.Command("script", "-qec", fmt.Sprintf(`%s exec requires3 -- sh -c '%s'`, hopBin, child), "/dev/null")
	cmd.Env = setenv(env, "SHELL=/bin/sh")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("script: %v\n%s", err, out)
	}
	lines := strings.Fields(strings.ReplaceAll(string(out), "\r", ""))
	if !strings.Contains(string(out), "all three are terminals") || len(lines) < 4 {
		t.Fatalf("under a terminal the child saw:\n%s", out)
	}
	tty := lines[len(lines)-4]
	if !strings.HasPrefix(tty, "/dev/pts/") {
		t.Fatalf("tty says %q", tty)
	}
	for i, fd := range lines[len(lines)-3:] {
		if fd != tty {
			t.Errorf("the child's fd %d is %s, want the terminal %s", i, fd, tty)
		}
	}

	// Pipes: input reaches the child, and its two outputs stay apart.
	pipe := exec.Command(hopBin, "exec", "requires3", "--", "sh", "-c", `read line; echo "out:$line"; echo "err:$line" >&2`)
	pipe.Env = env
	pipe.Stdin = strings.NewReader("hello\n")
	var stdout, stderr bytes.Buffer
	pipe.Stdout, pipe.Stderr = &stdout, &stderr
	if err := pipe.Run(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	if stdout.String() != "out:hello\n" || stderr.String() != "err:hello\n" {
		t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
}
