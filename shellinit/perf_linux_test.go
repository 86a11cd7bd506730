//go:build e2e && linux

package shellinit

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A render is what the shell does for hop at each prompt: run the hook, then
// expand the prompt. The loop drivers below read a count from stdin, render
// that many times, print "done", and wait for the next count, so one shell
// process serves a whole benchmark and its start-up is never measured.
var loopDrivers = map[string][]string{
	"bash": {"--norc", "--noprofile", "-c", `PS1='user[$?] \w> '
source "$HOP_TEST_INIT"
eval "$HOP_TEST_SETUP"
while read -r n; do
	for ((i = 0; i < n; i++)); do
		__hop_prompt_command
		rendered=${PS1@P}
	done
	echo done
done`},
	"zsh": {"-f", "-c", `PROMPT='user[%?] %~> '
source "$HOP_TEST_INIT"
eval "$HOP_TEST_SETUP"
while read -r n; do
	for ((i = 0; i < n; i++)); do
		_hop_precmd
		rendered=${(%)PROMPT}
	done
	echo done
done`},
	"fish": {"--no-config", "-c", `function fish_prompt; printf 'user[%s] %s> ' $status (prompt_pwd); end
source "$HOP_TEST_INIT"
eval "$HOP_TEST_SETUP"
while read -l n
	set -l i 0
	set -l rendered
	while test $i -lt $n
		emit fish_prompt
		set rendered (fish_prompt)
		set i (math $i + 1)
	end
	echo done
end`},
}

// loopCmd is shell running its loop driver inside a hop environment (or, with
// inside false, outside one).
func loopCmd(tb testing.TB, shell, setup string, inside bool) *exec.Cmd {
	tb.Helper()
	script, err := Script(shell)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	initFile := filepath.Join(dir, "init."+shell)
	if err := os.WriteFile(initFile, []byte(script), 0o600); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(shellPath(tb, shell), loopDrivers[shell]...)
	cmd.Dir = dir
	cmd.Env = []string{
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"HOME=" + dir,
		"LANG=C.UTF-8",
		"TERM=xterm-256color",
		"HOP_TEST_INIT=" + initFile,
		"HOP_TEST_SETUP=" + setup,
	}
	if inside {
		// Under five minutes left: the longest path, with the colours.
		cmd.Env = append(cmd.Env, "HOP_PROFILE=requires3", "HOP_ACCOUNT_ID=123412341234",
			"HOP_EXPIRES_AT="+expiresIn(4*time.Minute+30*time.Second), "HOP_RENEW=0")
	}
	return cmd
}

// ptraceOExitKill is PTRACE_O_EXITKILL from <linux/ptrace.h>, which package
// syscall lacks: the traced shell dies with the test rather than hang.
const ptraceOExitKill = 0x100000

// countForks runs cmd under ptrace, feeding it input on stdin, and returns how
// many processes it and its descendants created: every fork, vfork, clone
// with SIGCHLD, and posix_spawn is reported to a tracer that asked for
// PTRACE_O_TRACEFORK and PTRACE_O_TRACEVFORK. Threads are not counted.
func countForks(tb testing.TB, cmd *exec.Cmd, input string) int {
	tb.Helper()
	// ptrace requests must come from the thread that started the tracee.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	stdin, err := os.CreateTemp(tb.TempDir(), "stdin")
	if err != nil {
		tb.Fatal(err)
	}
	defer stdin.Close()
	if _, err := stdin.WriteString(input); err != nil {
		tb.Fatal(err)
	}
	if _, err := stdin.Seek(0, io.SeekStart); err != nil {
		tb.Fatal(err)
	}
	output, err := os.CreateTemp(tb.TempDir(), "output")
	if err != nil {
		tb.Fatal(err)
	}
	defer output.Close()

	// Its own process group lets Wait4 reap the shell's processes only,
	// never those of tests running alongside.
	proc, err := os.StartProcess(cmd.Path, cmd.Args, &os.ProcAttr{
		Dir:   cmd.Dir,
		Env:   cmd.Env,
		Files: []*os.File{stdin, output, output},
		Sys:   &syscall.SysProcAttr{Ptrace: true, Setpgid: true},
	})
	if err != nil {
		tb.Fatal(err)
	}
	pid := proc.Pid
	var ws syscall.WaitStatus
	// The tracee stops with SIGTRAP once its execve is done.
	if _, err := syscall.Wait4(pid, &ws, syscall.WALL, nil); err != nil || !ws.Stopped() {
		tb.Fatalf("tracing %s: first stop: %v (status %v)", cmd.Path, err, ws)
	}
	if err := syscall.PtraceSetOptions(pid, syscall.PTRACE_O_TRACEFORK|syscall.PTRACE_O_TRACEVFORK|ptraceOExitKill); err != nil {
		tb.Fatalf("ptrace options: %v", err)
	}
	if err := syscall.PtraceCont(pid, 0); err != nil {
		tb.Fatalf("ptrace cont: %v", err)
	}

	forks := 0
	exitStatus := -1
	for {
		wpid, err := syscall.Wait4(-pid, &ws, syscall.WALL, nil)
		if errors.Is(err, syscall.ECHILD) {
			break
		}
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			tb.Fatalf("wait4: %v", err)
		}
		if ws.Exited() || ws.Signaled() {
			if wpid == pid {
				exitStatus = ws.ExitStatus()
			}
			continue
		}
		if !ws.Stopped() {
			continue
		}
		sig := ws.StopSignal()
		switch {
		case sig == syscall.SIGTRAP && (ws.TrapCause() == syscall.PTRACE_EVENT_FORK || ws.TrapCause() == syscall.PTRACE_EVENT_VFORK):
			forks++
			sig = 0
		case sig == syscall.SIGTRAP, sig == syscall.SIGSTOP:
			// An execve in a traced child, or a new child's first stop.
			sig = 0
		}
		// The process may have been killed meanwhile; nothing to resume then.
		_ = syscall.PtraceCont(wpid, int(sig))
	}
	if exitStatus != 0 {
		out, _ := os.ReadFile(output.Name())
		tb.Fatalf("%s exited with status %d:\n%s", cmd.Path, exitStatus, out)
	}
	return forks
}

// forksPerRender counts the processes n renders create, less those of a run
// with none, which start-up and init account for.
func forksPerRender(tb testing.TB, shell, setup string, n int) float64 {
	base := countForks(tb, loopCmd(tb, shell, setup, true), "0\n")
	loaded := countForks(tb, loopCmd(tb, shell, setup, true), strconv.Itoa(n)+"\n")
	return float64(loaded-base) / float64(n)
}

// renderSetups are the paths through the scripts worth measuring: fish's
// /proc clock is picked at init on Linux, bash falls back to printf's clock
// when EPOCHSECONDS is missing (bash 4.2 to 4.4).
var renderSetups = []struct{ shell, name, setup string }{
	{"bash", "bash", ""},
	{"bash", "bash printf clock", "unset EPOCHSECONDS"},
	{"bash", "bash promptvars off", "shopt -u promptvars"},
	{"zsh", "zsh", ""},
	{"zsh", "zsh prompt_subst", "setopt prompt_subst"},
	{"fish", "fish", ""},
}

// TestPromptForksNothing checks that showing the prompt segment starts no
// process, in any shell.
func TestPromptForksNothing(t *testing.T) {
	for _, c := range renderSetups {
		t.Run(c.name, func(t *testing.T) {
			if got := forksPerRender(t, c.shell, c.setup, 50); got != 0 {
				t.Errorf("%s: %v processes started per render, want 0", c.name, got)
			}
		})
	}
}

// TestForkCounterCounts keeps the counter honest: a segment that forks once
// per render must count one.
func TestForkCounterCounts(t *testing.T) {
	forking := map[string]string{
		"bash": `__hop_segment() { __hop_text="($(printf %s "$HOP_PROFILE"))"; }`,
		"zsh":  `_hop_segment() { _hop_text="($(printf %s "$HOP_PROFILE"))"; }`,
		"fish": `function __hop_segment; command printf '(%s) ' $HOP_PROFILE; end`,
	}
	for _, shell := range runShells() {
		if got := forksPerRender(t, shell, forking[shell], 10); got != 1 {
			t.Errorf("%s: counted %v processes per render with one fork in it, want 1", shell, got)
		}
	}
}

// BenchmarkRender measures one render in each shell (ns/op), inside a hop
// environment near expiry and outside one, and reports the processes a
// render starts (forks/render). Run with: go test -run '^$' -bench Render ./shellinit
func BenchmarkRender(b *testing.B) {
	for _, c := range renderSetups {
		for _, inside := range []bool{true, false} {
			name := c.name + "/inside hop"
			if !inside {
				name = c.name + "/outside hop"
			}
			b.Run(name, func(b *testing.B) {
				cmd := loopCmd(b, c.shell, c.setup, inside)
				in, err := cmd.StdinPipe()
				if err != nil {
					b.Fatal(err)
				}
				out, err := cmd.StdoutPipe()
				if err != nil {
					b.Fatal(err)
				}
				cmd.Stderr = os.Stderr
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				defer cmd.Wait()
				defer in.Close()
				lines := bufio.NewScanner(out)
				run := func(n int) {
					fmt.Fprintf(in, "%d\n", n)
					if !lines.Scan() || lines.Text() != "done" {
						b.Fatalf("%s loop: %q, %v", c.shell, lines.Text(), lines.Err())
					}
				}
				run(1) // warm up: fish wraps its prompt at the first one
				b.ResetTimer()
				run(b.N)
				b.StopTimer()
				if inside {
					b.ReportMetric(forksPerRender(b, c.shell, c.setup, 20), "forks/render")
				}
			})
		}
	}
}

func TestLoopDriversRender(t *testing.T) {
	// The benchmark's drivers must run hop's hook, or they would time nothing.
	for _, shell := range runShells() {
		cmd := loopCmd(t, shell, "", true)
		cmd.Stdin = strings.NewReader("1\n")
		cmd.Args[len(cmd.Args)-1] = strings.Replace(cmd.Args[len(cmd.Args)-1], "echo done", `echo "$rendered"`, 1)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", shell, err, out)
		}
		if !strings.Contains(string(out), "(requires3 123412341234 4m)") {
			t.Errorf("%s: the benchmark's render shows no segment: %q", shell, out)
		}
	}
}

// TestRenewalForksOncePerExpiry arms the renewal in each shell. With an
// hour left a render forks nothing; under ten minutes left the hook runs
// hop once (here a stand-in that fails, as when a sign-in is needed) and
// not again at the renders after, since the expiry has not changed.
func TestRenewalForksOncePerExpiry(t *testing.T) {
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	fake := "#!/bin/sh\nprintf '%s\\n' \"$*\" >>" + shQuote(calls) + "\nexit 1\n"
	if err := os.WriteFile(filepath.Join(dir, "hop"), []byte(fake), 0o700); err != nil {
		t.Fatal(err)
	}
	arm := map[string]string{
		"bash": "PATH=" + shQuote(dir) + ":$PATH",
		"zsh":  "PATH=" + shQuote(dir) + ":$PATH",
		"fish": "set -gx PATH " + shQuote(dir) + " $PATH",
	}
	later := map[string]string{
		"bash": "; HOP_EXPIRES_AT=" + expiresIn(time.Hour),
		"zsh":  "; HOP_EXPIRES_AT=" + expiresIn(time.Hour),
		"fish": "; set -gx HOP_EXPIRES_AT " + expiresIn(time.Hour),
	}
	// forks is how many processes n renders start, renewal on from init.
	forks := func(t *testing.T, shell, setup string, n int) int {
		run := func(input string) int {
			cmd := loopCmd(t, shell, setup, true)
			cmd.Env = slices.DeleteFunc(cmd.Env, func(kv string) bool { return kv == "HOP_RENEW=0" })
			return countForks(t, cmd, input)
		}
		return run(strconv.Itoa(n)+"\n") - run("0\n")
	}
	for _, shell := range runShells() {
		t.Run(shell, func(t *testing.T) {
			if got := forks(t, shell, arm[shell]+later[shell], 20); got != 0 {
				t.Errorf("an hour left: 20 renders started %d processes, want 0", got)
			}
			os.Remove(calls)
			if got := forks(t, shell, arm[shell], 20); got != 1 {
				t.Errorf("under ten minutes left, 20 renders started %d processes, want 1", got)
			}
			got, _ := os.ReadFile(calls)
			if want := "renew --hook --shell " + shell + " -- requires3\n"; string(got) != want {
				t.Errorf("hop ran as %q, want %q", got, want)
			}
		})
	}
}
