//go:build e2e && unix

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/testenv"
)

// newPane starts bash --norc on a terminal with exactly env, and hop's
// directory first on PATH. Tests type `echo name""=$?` so that only the
// output, not the command line, holds "name=".
func newPane(t *testing.T, env []string) *pane {
	t.Helper()
	start := "exec env -i"
	for _, kv := range env {
		if strings.HasPrefix(kv, "PATH=") {
			kv = "PATH=" + filepath.Dir(hopBin) + ":" + kv[len("PATH="):]
		}
		start += " " + shellQuote(kv)
	}
	start += " TERM=xterm-256color PS1='$ ' HISTFILE=/dev/null bash --norc --noprofile\n"
	return startPane(t, start, "")
}

// pickerRowsOnScreen are the profile names the picker lists, in order.
func pickerRowsOnScreen(screen string) []string {
	var rows []string
	seen := false
	for _, line := range strings.Split(screen, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) > 0 && f[0] == "PROFILE":
			seen, rows = true, nil
		case seen && len(f) > 1 && f[0] == ">":
			rows = append(rows, f[1])
		case seen && len(f) > 0:
			rows = append(rows, f[0])
		case seen:
			seen = false
		}
	}
	return rows
}

const pickerProfiles = `[profile alpha-dev]
sso_session = corp
sso_account_id = 123412341234
sso_role_name = AssumeRolePolicy
region = eu-west-1
`

// TestPickerInATerminal: words then Enter run the right profile's child;
// Esc runs nothing and fetches nothing; the profile picked last comes
// first; HOP_NO_PICKER fails at once.
func TestPickerInATerminal(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, pickerProfiles)
	env := append(e.Environ(), "XDG_STATE_HOME="+t.TempDir())
	p := newPane(t, env)
	p.WaitFor("$ ")

	p.Type(`hop exec -- sh -c 'echo "picked=$HOP_PROFILE/$AWS_REGION"'`)
	p.Press("Enter")
	screen := p.WaitFor("hop exec  3/3")
	if got := strings.Join(pickerRowsOnScreen(screen), " "); got != "alpha-dev example requires3" {
		t.Errorf("before any pick, the rows are %q, want them by name", got)
	}
	// Words match anywhere, in any order: "role" the kind, "s3" the role.
	p.Type("s3 role")
	p.WaitFor("hop exec  1/3")
	p.Press("Enter")
	p.WaitFor("picked=requires3/ap-northeast-1")

	// Esc: no child, no network call, a non-zero status.
	e.ResetCounts()
	marker := filepath.Join(t.TempDir(), "ran")
	p.Type("hop exec -- touch " + shellQuote(marker) + `; echo status""=$?`)
	p.Press("Enter")
	screen = p.WaitFor("hop exec  3/3")
	if got := pickerRowsOnScreen(screen); len(got) == 0 || got[0] != "requires3" {
		t.Errorf("the profile picked last is not first: %q\n%s", got, screen)
	}
	p.Press("Escape")
	screen = p.WaitFor("status=")
	if !strings.Contains(screen, "status=1") || !strings.Contains(screen, "no profile picked") {
		t.Errorf("Esc: want status 1 and a word about it; screen:\n%s", screen)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the child ran after Esc")
	}
	if n := e.Calls(); n != 0 {
		t.Errorf("Esc made %d network calls, want 0", n)
	}

	// export picks on the terminal while its stdout is piped.
	p.Type(`clear; hop export --format env | grep -c AWS_ACCESS_KEY_ID; echo export2""=$?`)
	p.Press("Enter")
	p.WaitFor("hop export  3/3")
	p.Type("alpha")
	p.Press("Enter")
	screen = p.WaitFor("export2=")
	if !strings.Contains(screen, "1\nexport2=0") {
		t.Errorf("hop export | grep: want one AWS_ACCESS_KEY_ID line through the pipe; screen:\n%s", screen)
	}

	// login, with two sessions and no AWS_PROFILE, picks a profile and
	// signs in to its session.
	e.AppendConfig(t, "[sso-session other]\nsso_start_url = https://other.awsapps.com/start\nsso_region = eu-west-1\n")
	p.Type(`clear; hop login; echo login""=$?`)
	p.Press("Enter")
	p.WaitFor("hop login  3/3")
	p.Type("alpha")
	p.Press("Enter")
	screen = p.WaitFor("login=")
	if !strings.Contains(screen, "the session for "+testenv.StartURL+" is valid until") || !strings.Contains(screen, "login=0") {
		t.Errorf("hop login through the picker; screen:\n%s", screen)
	}

	p.Type(`HOP_NO_PICKER=1 hop exec -- true; echo nopicker""=$?`)
	p.Press("Enter")
	screen = p.WaitFor("nopicker=")
	if !strings.Contains(screen, "name a profile") || !strings.Contains(screen, "nopicker=2") {
		t.Errorf("HOP_NO_PICKER=1: want a request to name a profile and status 2, as for any command line missing what it needs; screen:\n%s", screen)
	}
}

// TestPickerWithoutTerminal: no controlling terminal, so no picker: a clear
// error at once, and no child.
func TestPickerWithoutTerminal(t *testing.T) {
	e := testenv.Start(t)
	marker := filepath.Join(t.TempDir(), "ran")
	for _, args := range [][]string{
		{"exec", "--", "touch", marker},
		{"exec"},
		{"export"},
		{"console", "--print"},
	} {
		cmd := exec.Command(hopBin, args...)
		cmd.Env = e.Environ()
		// A new session has no controlling terminal: /dev/tty cannot open.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		done := make(chan error, 1)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(stderr.String(), "name a profile: hop "+args[0]+" PROFILE") {
				t.Errorf("hop %v: %v, stderr %q; want a failure asking for a profile", args, err, stderr.String())
			}
		case <-time.After(hopRunLimit):
			cmd.Process.Kill()
			t.Fatalf("hop %v waited for input with no terminal", args)
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("a child ran")
	}
	if n := e.Calls(); n != 0 {
		t.Errorf("%d network calls, want 0", n)
	}
}

// TestPickerInterruptedAndCanceled: Ctrl-C in the picker is an
// interruption, as anywhere else: hop dies of SIGINT (130 to a shell that
// survives it) and an interactive shell's loop running it stops, where
// Esc is no choice (1, "no profile picked"). Nothing runs either way.
func TestPickerInterruptedAndCanceled(t *testing.T) {
	e := testenv.Start(t)
	env := append(e.Environ(), "XDG_STATE_HOME="+t.TempDir())
	marker := filepath.Join(t.TempDir(), "ran")

	s := terminalRun(t, setenv(env, "TERM=xterm"), hopBin+" exec -- touch "+marker)
	s.waitFor("hop exec  2/2", 1)
	s.keys("C-c")
	if text := s.ended(130); !strings.Contains(text, "interrupted (Ctrl-C)") {
		t.Errorf("Ctrl-C in the picker: want a word about it:\n%s", text)
	}

	s = terminalRun(t, setenv(env, "TERM=xterm"), hopBin+" exec -- touch "+marker)
	s.waitFor("hop exec  2/2", 1)
	s.keys("Escape")
	if text := s.ended(1); !strings.Contains(text, "hop: no profile picked") {
		t.Errorf("Esc in the picker: want a word about it:\n%s", text)
	}
	if ran(marker) {
		t.Error("a child ran")
	}

	p := newPane(t, env)
	p.WaitFor("$ ")
	p.TypeLine(`for i in 1 2; do hop exec -- true; echo "after$i"; done`)
	p.WaitFor("hop exec  2/2")
	p.Press("C-c")
	// Either the shell's next prompt (the loop stopped) or the loop going
	// on.
	for deadline := time.Now().Add(hopRunLimit); ; time.Sleep(20 * time.Millisecond) {
		text := p.Screen()
		if strings.Contains(text, "after1") {
			t.Fatalf("the loop went on after Ctrl-C in the picker:\n%s", text)
		}
		if strings.Count(text, "$ ") >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no prompt after Ctrl-C in the picker:\n%s", text)
		}
	}
}

const brokenProfiles = `[profile loop-a]
role_arn = arn:aws:iam::123412341234:role/A
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::123412341234:role/B
source_profile = loop-a
`

// TestPickerMarksBrokenProfiles: a profile that cannot resolve (here a
// source_profile loop) is listed with why, and choosing it says why it
// cannot be used and keeps the list; a profile picked is named on the
// screen after the picker has gone.
func TestPickerMarksBrokenProfiles(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, brokenProfiles)
	env := append(e.Environ(), "XDG_STATE_HOME="+t.TempDir())
	p := newPane(t, env)
	p.WaitFor("$ ")

	p.TypeLine(`hop exec -- true; echo exec""=$?`)
	p.WaitFor("hop exec  4/4")
	p.Type("loop-a")
	screen := p.WaitFor("✗")
	var row string
	for _, line := range strings.Split(screen, "\n") {
		if strings.Contains(line, "loop-a") && !strings.HasPrefix(line, "> loop-a") {
			row = line
		}
		if f := strings.Fields(line); len(f) > 1 && f[0] == ">" && f[1] == "loop-a" {
			row = line
		}
	}
	if !strings.Contains(row, "✗") || !strings.Contains(row, "loop") {
		t.Errorf("loop-a's row does not say it loops: %q\n%s", row, screen)
	}
	p.Press("Enter")
	screen = p.WaitFor("cannot be used")
	if !strings.Contains(screen, "loop-a cannot be used") || !strings.Contains(screen, "hop exec  1/4") {
		t.Errorf("Enter on loop-a: want why, and the list still open:\n%s", screen)
	}
	p.Press("C-u")
	p.Type("requires3")
	p.WaitFor("hop exec  1/4")
	p.Press("Enter")
	screen = p.WaitFor("exec=")
	if !strings.Contains(screen, "hop: exec requires3\n") || !strings.Contains(screen, "exec=0") {
		t.Errorf("after a pick, want the profile named and status 0:\n%s", screen)
	}
}
