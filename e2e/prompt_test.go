//go:build e2e && unix

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hop-cli/hop/internal/testenv"
)

// These tests answer hop's prompts on a real terminal (tmux), as a user
// would, and read the screen.

// screen is one command running on a tmux terminal.
type screen struct {
	*pane
	t *testing.T
}

// terminalRun runs command under sh on a new tmux terminal, in exactly
// env. When the command ends, the screen shows EXIT:<status> and whether
// the terminal echoes (ECHO:on or ECHO:off).
func terminalRun(t *testing.T, env []string, command string) *screen {
	t.Helper()
	var script strings.Builder
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		fmt.Fprintf(&script, "export %s=%s\n", name, shellQuote(value))
	}
	// The Ctrl-C sent to hop reaches this shell too, which must live on
	// to report. A trap, unlike an ignored signal, does not pass to hop.
	fmt.Fprintf(&script, "trap true INT\n%s\necho \"EXIT:$?\"\n", command)
	script.WriteString(`case " $(stty -a | tr '\n;' '  ') " in *" -echo "*) echo ECHO:off;; *) echo ECHO:on;; esac` + "\nexec sleep 600\n")
	return &screen{startPane(t, "exec env -i /bin/sh -c "+shellQuote(script.String())+"\n", ""), t}
}

// waitFor waits until the screen shows text n times.
func (s *screen) waitFor(text string, n int) {
	s.t.Helper()
	s.Poll(fmt.Sprintf("the screen to show %q %d times", text, n), func() bool { return strings.Count(s.Screen(), text) >= n })
}

func (s *screen) keys(keys ...string) { s.Press(keys...) }

// ended waits for the command to end and checks its status and that the
// terminal echoes again.
func (s *screen) ended(status int) string {
	s.t.Helper()
	s.waitFor("ECHO:", 1)
	text := s.Screen()
	if !strings.Contains(text, fmt.Sprintf("EXIT:%d\n", status)) {
		s.t.Errorf("want EXIT:%d on the screen:\n%s", status, text)
	}
	if !strings.Contains(text, "ECHO:on") {
		s.t.Errorf("hop left the terminal without echo:\n%s", text)
	}
	return text
}

// TestMFAPromptOnATerminal: the MFA prompt refuses what is not six digits
// and asks again, sending nothing to STS; Ctrl-C ends it at once with 130
// and no child.
func TestMFAPromptOnATerminal(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, "[profile mfa]\nrole_arn = "+testenv.RoleARN+"\nsource_profile = example\nmfa_serial = arn:aws:iam::123412341234:mfa/alice\n")
	env := setenv(e.Environ(), "TERM=xterm")
	if r := hop(t, env, "login", "example"); r.code != 0 {
		t.Fatalf("hop login: %s", r.stderr)
	}
	marker := filepath.Join(t.TempDir(), "ran")
	const prompt = "MFA code for arn:aws:iam::123412341234:mfa/alice (profile mfa): "

	e.ResetCounts()
	s := terminalRun(t, env, hopBin+" exec mfa -- touch "+marker)
	s.waitFor(prompt, 1)
	s.keys("12ab56", "Enter")
	s.waitFor(prompt, 2)
	if !strings.Contains(s.Screen(), "six digits") {
		t.Errorf("the prompt did not say why it asks again:\n%s", s.Screen())
	}
	s.keys("C-c")
	s.ended(130)
	if ran(marker) {
		t.Error("the child ran")
	}
	if n := e.Moto.Count("sts:AssumeRole"); n != 0 {
		t.Errorf("%d AssumeRole calls; a malformed code reached STS", n)
	}

	s = terminalRun(t, env, hopBin+" exec mfa -- touch "+marker)
	s.waitFor(prompt, 1)
	s.keys("", "Enter")
	s.waitFor(prompt, 2)
	s.keys("123456", "Enter")
	s.ended(0)
	if !ran(marker) {
		t.Error("the child did not run after a good code")
	}
	if n := e.Moto.Count("sts:AssumeRole"); n != 1 {
		t.Errorf("%d AssumeRole calls, want the one with the good code", n)
	}
}

// TestPassphrasePromptOnATerminal: the file keyring's prompt refuses an
// empty passphrase, asks again a few times, then fails; Ctrl-C ends it at
// once with 130. No keyring item is written either way.
func TestPassphrasePromptOnATerminal(t *testing.T) {
	e := testenv.Start(t)
	env := setenv(e.Environ(), "TERM=xterm")
	if r := hop(t, env, "login", "example"); r.code != 0 {
		t.Fatalf("hop login: %s", r.stderr)
	}
	var noPassphrase []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "HOP_FILE_PASSPHRASE=") {
			noPassphrase = append(noPassphrase, kv)
		}
	}
	keyringDir := getenv(env, "HOP_FILE_DIR")
	noItems := func() {
		t.Helper()
		entries, _ := os.ReadDir(keyringDir)
		for _, entry := range entries {
			if !strings.HasPrefix(entry.Name(), ".") {
				t.Errorf("keyring item %s written", entry.Name())
			}
		}
	}
	marker := filepath.Join(t.TempDir(), "ran")
	const prompt = "Enter passphrase to unlock"

	for _, env := range [][]string{noPassphrase, append(noPassphrase, "HOP_FILE_PASSPHRASE=")} {
		s := terminalRun(t, env, hopBin+" exec requires3 -- touch "+marker)
		s.waitFor(prompt, 1)
		s.keys("Enter")
		s.waitFor(prompt, 2)
		if !strings.Contains(s.Screen(), "cannot be empty") {
			t.Errorf("the prompt did not say why it asks again:\n%s", s.Screen())
		}
		s.keys("C-c")
		s.ended(130)
		noItems()
	}

	s := terminalRun(t, noPassphrase, hopBin+" exec requires3 -- touch "+marker)
	for i := 1; i <= 3; i++ {
		s.waitFor(prompt, i)
		s.keys("Enter")
	}
	text := s.ended(1)
	if !strings.Contains(text, "no passphrase after 3 tries") {
		t.Errorf("hop did not say why it failed:\n%s", text)
	}
	if n := strings.Count(text, prompt); n != 3 {
		t.Errorf("asked %d times, want 3", n)
	}
	noItems()
	if ran(marker) {
		t.Error("the child ran")
	}
}

// TestHelperPromptOnATerminal: a credential_process helper gets the
// terminal to ask its user, as it would run from a shell; Ctrl-C at its
// prompt ends it, the grandchild it started and hop (130), with the
// terminal's echo back on and no child.
func TestHelperPromptOnATerminal(t *testing.T) {
	e := testenv.Start(t)
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "grandchild")
	helper := writeScript(t, filepath.Join(dir, "prompter"), `sleep 300 &
echo $! > `+pidFile+`
stty -echo < /dev/tty
printf 'helper code: ' > /dev/tty
read code < /dev/tty
stty echo < /dev/tty
[ "$code" = 424242 ] || exit 5
kill $!
cat <<'JSON'
`+helperDocument("prompter-secret")+`
JSON
`)
	e.AppendConfig(t, "[profile prompter]\ncredential_process = "+helper+"\n")
	env := setenv(e.Environ(), "TERM=xterm")
	marker := filepath.Join(dir, "ran")

	s := terminalRun(t, env, hopBin+" exec prompter -- touch "+marker)
	s.waitFor("helper code: ", 1)
	s.keys("424242", "Enter")
	s.ended(0)
	if !ran(marker) {
		t.Fatal("the child did not run after the helper's prompt was answered")
	}
	os.Remove(marker)
	os.Remove(pidFile)

	s = terminalRun(t, env, hopBin+" exec prompter -- touch "+marker)
	s.waitFor("helper code: ", 1)
	s.keys("C-c")
	text := s.ended(130)
	if !strings.Contains(text, "profile prompter:") {
		t.Errorf("hop did not say which helper was interrupted:\n%s", text)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	awaitEnded(t, pid)
	if ran(marker) {
		t.Error("the child ran")
	}
}
