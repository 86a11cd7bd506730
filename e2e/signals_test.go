//go:build e2e && unix

package e2e

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/faultproxy"
	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// TestInterruptDuringSignIn: Ctrl-C ends a hop waiting for a sign-in, and
// one waiting for that hop, promptly and without a child or a token file.
func TestInterruptDuringSignIn(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.IDC.SetAutoApprove(false)
	marker := filepath.Join(t.TempDir(), "ran")
	signing := startHop(t, env, "exec", "requires3", "--", "touch", marker)
	signing.waitStderr(t, "confirm the code")
	waiting := startHop(t, env, "exec", "requires3", "--", "touch", marker)
	waiting.waitStderr(t, "waiting for another hop process")

	for _, h := range []*running{waiting, signing} {
		if err := h.cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
	}
	rw := waiting.wait(t, 10*time.Second)
	t.Logf("waiting hop: %s", rw.stderr)
	failed(t, rw, "interrupted")
	rs := signing.wait(t, 10*time.Second)
	t.Logf("signing hop: %s", rs.stderr)
	failed(t, rs, "sign-in to "+testenv.StartURL+" interrupted")
	if ran(marker) {
		t.Error("a child ran")
	}
	if _, err := os.Stat(e.CLITokenPath()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an interrupted sign-in left a token file (%v)", err)
	}
	checkCaches(t, e, env)
}

// TestSignalsReachTheChild: hop execs the child, so a signal sent to the
// pid that was hop's is the child's to handle.
func TestSignalsReachTheChild(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("warming the cache: %s", r.stderr)
	}
	// The child records its pid, then which signal it got. A short sleep
	// in the loop lets the trap run promptly.
	const child = `for s in INT TERM HUP; do trap "echo $s > '$1'; exit 0" $s; done
echo $$ > "$2.tmp" && mv "$2.tmp" "$2"
while :; do sleep 0.05; done`
	for name, sig := range map[string]syscall.Signal{"INT": syscall.SIGINT, "TERM": syscall.SIGTERM, "HUP": syscall.SIGHUP} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			got, pidFile := filepath.Join(dir, "got"), filepath.Join(dir, "pid")
			h := startHop(t, env, "exec", "requires3", "--", "sh", "-c", child, "sh", got, pidFile)
			pid := waitFile(t, h, pidFile)
			if pid != strconv.Itoa(h.cmd.Process.Pid) {
				t.Fatalf("the child runs as pid %s, hop was %d: hop did not exec it", pid, h.cmd.Process.Pid)
			}
			if err := h.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if r := h.wait(t, time.Minute); r.code != 0 {
				t.Errorf("exit %d after the child's trap, stderr %q", r.code, r.stderr)
			}
			data, err := os.ReadFile(got)
			if err != nil || strings.TrimSpace(string(data)) != name {
				t.Errorf("the child got %q (%v), want %s", data, err, name)
			}
		})
	}
}

// TestExitStatusAsAShellSeesIt: the status a shell reports for hop is the
// child's, including 128+n for a child killed by signal n.
func TestExitStatusAsAShellSeesIt(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("warming the cache: %s", r.stderr)
	}
	for _, tt := range []struct {
		child string
		want  string
	}{
		{"exit 0", "0"},
		{"exit 1", "1"},
		{"exit 7", "7"},
		{"exit 255", "255"},
		{"kill -HUP $$", "129"},
		{"kill -INT $$", "130"},
		{"kill -KILL $$", "137"},
		{"kill -TERM $$", "143"},
	} {
		t.Run(tt.child, func(t *testing.T) {
			script := fmt.Sprintf(`"$0" exec requires3 -- sh -c '%s'; echo "$?"`, tt.child)
			cmd := exec.Command("sh", "-c", script, hopBin)
			cmd.Env = env
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("sh: %v", err)
			}
			if got := strings.TrimSpace(string(out)); got != tt.want {
				t.Errorf("the shell saw status %s, want %s", got, tt.want)
			}
		})
	}
}

// TestInterruptedSignInSaysSo: Ctrl-C while a sign-in request is on the
// wire reads "interrupted", not the SDK's account of a canceled request.
func TestInterruptedSignInSaysSo(t *testing.T) {
	e := testenv.Start(t)
	e.IDC.Inject(idc.OpRegisterClient, 1, faultproxy.Fault{Delay: time.Minute})
	h := startHop(t, e.Environ(), "login")
	for deadline := time.Now().Add(30 * time.Second); e.IDC.Count(idc.OpRegisterClient) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("hop never asked to register")
		}
	}
	if err := h.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	r := h.wait(t, 10*time.Second)
	last := failed(t, r, "sign-in to "+testenv.StartURL+" interrupted")
	if strings.Contains(r.stderr, "StatusCode") || strings.Contains(r.stderr, "RequestID") {
		t.Errorf("the SDK's words reached the user: %q", last)
	}
}

// TestSignalEndsAHangingHelper: a helper that never answers, and the
// grandchild it started, end with hop when hop is told to stop, and hop
// exits as a shell reports a command SIGTERM stopped.
func TestSignalEndsAHangingHelper(t *testing.T) {
	e := testenv.Start(t)
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "grandchild")
	helper := writeScript(t, filepath.Join(dir, "hang"), "sleep 300 &\necho $! > "+pidFile+".tmp\nmv "+pidFile+".tmp "+pidFile+"\nwait\n")
	e.AppendConfig(t, "[profile hang]\ncredential_process = "+helper+" --slowly\n")
	marker := filepath.Join(dir, "ran")
	h := startHop(t, e.Environ(), "exec", "hang", "--", "touch", marker)
	grandchild := waitPid(t, h, pidFile)
	if err := h.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	r := h.wait(t, 10*time.Second)
	if r.code != 143 {
		t.Errorf("hop exited %d after SIGTERM, want 143; stderr %q", r.code, r.stderr)
	}
	failed(t, r, "profile hang:", `credential_process "`+helper+`"`)
	awaitEnded(t, grandchild)
	if ran(marker) {
		t.Error("the child ran")
	}
}

// TestSignalsWhileSigningIn: hop waiting for a sign-in, and hop waiting
// for that hop's lock, end as a shell reports a command the signal
// stopped: 130 on Ctrl-C, 143 on SIGTERM and 129 on SIGHUP, starting no
// child.
func TestSignalsWhileSigningIn(t *testing.T) {
	e := testenv.Start(t)
	e.IDC.SetAutoApprove(false)
	marker := filepath.Join(t.TempDir(), "ran")
	for sig, want := range map[syscall.Signal]int{syscall.SIGINT: 130, syscall.SIGTERM: 143, syscall.SIGHUP: 129} {
		signing := startHop(t, e.Environ(), "exec", "requires3", "--", "touch", marker)
		signing.waitStderr(t, "confirm the code")
		waiting := startHop(t, e.Environ(), "exec", "requires3", "--", "touch", marker)
		waiting.waitStderr(t, "waiting for another hop process")
		for _, h := range []*running{waiting, signing} {
			if err := h.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			r := h.wait(t, 10*time.Second)
			if r.code != want {
				t.Errorf("after %v hop exited %d, want %d; stderr %q", sig, r.code, want, r.stderr)
			}
			failed(t, r, "interrupted")
		}
	}
	if ran(marker) {
		t.Error("a child ran")
	}
}

// waitFile waits for the child to create path, and returns its content.
func waitFile(t *testing.T, h *running, path string) string {
	t.Helper()
	limit := time.After(time.Minute)
	for {
		if data, err := os.ReadFile(path); err == nil {
			return strings.TrimSpace(string(data))
		}
		select {
		case <-h.done:
			t.Fatalf("hop exited (%v) before its child wrote %s; stderr %q", h.err, path, h.stderr.String())
		case <-limit:
			t.Fatalf("no %s within a minute; stderr %q", path, h.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// waitPid waits for a helper to write a pid to path.
func waitPid(t *testing.T, h *running, path string) int {
	t.Helper()
	data := waitFile(t, h, path)
	pid, err := strconv.Atoi(strings.TrimSpace(data))
	if err != nil {
		t.Fatalf("pid file %q: %v", data, err)
	}
	return pid
}

// TestCtrlCStopsALoop runs hop exec in an interactive bash's while loop on
// a terminal, with --server and without, and presses Ctrl-C once while the
// child sleeps: the loop stops. hop dies of the signal that killed its
// child, as the child replacing hop would have, so bash sees an
// interrupted command; an exit status of 130 has it run the loop again.
func TestCtrlCStopsALoop(t *testing.T) {
	e := testenv.Start(t)
	start := "exec env -i"
	for _, kv := range e.Environ() {
		start += " " + shellQuote(kv)
	}
	// No history: bash would write it into HOME as the test removes it.
	start += " PS1='$ ' HISTFILE= bash --norc --noprofile -i\n"
	for _, flags := range []string{"", "--server"} {
		t.Run("exec "+flags, func(t *testing.T) {
			runs := filepath.Join(t.TempDir(), "runs")
			p := startPane(t, start, "")
			child := shellQuote("echo run >>" + shellQuote(runs) + "; exec sleep 100")
			p.TypeLine(fmt.Sprintf("while true; do %s exec %s requires3 -- sh -c %s; done", hopBin, flags, child))
			waitForLines(t, p, runs, 1)
			p.Press("C-c")
			// What bash prints, not what the terminal echoes of the line.
			p.TypeLine("echo after-$?-$((6*7))")
			for deadline := time.Now().Add(hopRunLimit); ; time.Sleep(20 * time.Millisecond) {
				if lines := waitForLines(t, p, runs, 1); len(lines) > 1 {
					t.Fatalf("one Ctrl-C and the loop ran hop again:\n%s", p.Screen())
				}
				screen := p.Screen()
				if strings.Contains(screen, "-42\n") {
					if !strings.Contains(screen, "after-130-42\n") {
						t.Errorf("the loop's status is not 130 (SIGINT):\n%s", screen)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the shell never came back after Ctrl-C:\n%s", screen)
				}
			}
		})
	}
}
