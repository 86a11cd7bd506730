//go:build e2e

package shellinit

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/testenv"
	"github.com/hop-cli/hop/internal/tmux"
)

// These tests run the real shells in tmux, with hop's init line in their rc
// files, and read the prompt off the screen the way a user would see it.

// promptMark ends every user prompt in these tests, so a prompt is known to be
// fully drawn once it shows.
const promptMark = "PROMPT>"

// hopBinary is the directory holding hop, built once for the whole test
// binary, for PATH.
func hopBinary(t *testing.T) string {
	t.Helper()
	return filepath.Dir(testenv.Hop(t))
}

func TestMain(m *testing.M) { os.Exit(testenv.Run(m)) }

// rcFiles is where each shell reads its interactive configuration.
var rcFiles = map[string]string{
	"bash": ".bashrc",
	"zsh":  ".zshrc",
	"fish": ".config/fish/config.fish",
}

// initLines are the lines the README tells users to add.
var initLines = map[string]string{
	"bash": `eval "$(hop init bash)"`,
	"zsh":  `eval "$(hop init zsh)"`,
	"fish": `hop init fish | source`,
}

// userPrompts are a user's own prompt, showing the last exit status so the
// tests can see that hop's hook leaves $? alone.
var userPrompts = map[string]string{
	"bash": `PS1='user[$?] ` + promptMark + ` '`,
	"zsh":  `PROMPT='user[%?] ` + promptMark + ` '`,
	"fish": `function fish_prompt; printf 'user[%s] ` + promptMark + ` ' $status; end`,
}

type session struct {
	t     *testing.T
	shell string
	pane  *tmux.Pane
	home  string
	marks int
}

// files maps paths under HOME to contents; env is the shell's environment on
// top of a fresh HOME, a PATH, TERM and LANG. The directory holding hop goes
// first in PATH, whatever env says.
func startSession(t *testing.T, shell string, files, env map[string]string) *session {
	t.Helper()
	bin := shellPath(t, shell)
	vars := map[string]string{
		"HOME": t.TempDir(),
		"PATH": "/usr/local/bin:/usr/bin:/bin",
		"TERM": "xterm-256color",
		"LANG": "C.UTF-8",
	}
	for k, v := range env {
		vars[k] = v
	}
	vars["PATH"] = hopBinary(t) + ":" + vars["PATH"]
	home := vars["HOME"]
	if shell == "fish" {
		// Keep the screen to prompts only.
		files[rcFiles["fish"]] = "set -g fish_greeting\n" + files[rcFiles["fish"]]
		// With this directory present, a first fish start does not spawn its
		// background man page parser, which would outlive the test.
		if err := os.MkdirAll(filepath.Join(home, ".local/share/fish/generated_completions"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range files {
		path := filepath.Join(home, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// The shell starts from a script so that hostile values reach its
	// environment byte for byte, with no tmux or sh parsing on the way.
	// start.sh execs the shell, so the pane's process is the shell.
	start := "exec env -i"
	for k, v := range vars {
		start += " " + shQuote(k+"="+v)
	}
	start += " " + shQuote(bin) + "\n"
	return &session{t: t, shell: shell, home: home, pane: tmux.StartScript(t, tmux.Options{}, start)}
}

func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// send types line and presses Enter, without waiting.
func (s *session) send(line string) {
	s.t.Helper()
	s.pane.TypeLine(line)
}

func (s *session) capture(escapes bool) string {
	s.t.Helper()
	if escapes {
		return s.pane.Capture("-J", "-S", "-300", "-e")
	}
	return s.pane.Screen()
}

var escapeSeq = regexp.MustCompile(`\x1b\[[0-9;]*m|\x1b\(B`)

// prompt runs line (if any), then a marker command, and returns the prompt
// drawn after the marker's output: the prompt the shell shows once line has
// run. With escapes, the colours are kept as tmux reports them.
func (s *session) prompt(line string, escapes bool) string {
	s.t.Helper()
	if line != "" {
		s.send(line)
	}
	s.marks++
	marker := fmt.Sprintf("@@%d@@", s.marks)
	// The typed command does not contain the marker; only its output does.
	// It hands line's exit status on (0 or 1 here) for prompts that show it.
	if s.shell == "fish" {
		s.send(fmt.Sprintf("set hop_s $status; echo @@(math %d + 0)@@; test $hop_s = 0", s.marks))
	} else {
		s.send(fmt.Sprintf("hop_s=$?; echo @@$((%d + 0))@@; (exit $hop_s)", s.marks))
	}
	var screen string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		screen = s.capture(escapes)
		lines := strings.Split(screen, "\n")
		for i := len(lines) - 1; i >= 0; i-- {
			if strings.TrimSpace(escapeSeq.ReplaceAllString(lines[i], "")) != marker {
				continue
			}
			rest := strings.TrimSpace(strings.Join(lines[i+1:], "\n"))
			if strings.Contains(rest, promptMark) {
				return rest
			}
			break
		}
	}
	s.t.Fatalf("%s: no prompt after %q within 20s; screen:\n%s", s.shell, line, screen)
	return ""
}

// output runs line, which prints label=[...], and returns what is inside the
// brackets. Only what line printed counts: the lines between the previous
// marker's output and this one's.
func (s *session) output(line, label string) string {
	s.t.Helper()
	previous := fmt.Sprintf("@@%d@@", s.marks)
	s.prompt(line, false)
	current := fmt.Sprintf("@@%d@@", s.marks)
	lines := strings.Split(s.capture(false), "\n")
	start, end := 0, len(lines)
	for i, l := range lines {
		switch strings.TrimSpace(l) {
		case previous:
			start = i
		case current:
			end = i
		}
	}
	// Not anchored at the start: a shell that is still running line echoes
	// the marker command typed ahead of it in front of line's output.
	re := regexp.MustCompile(regexp.QuoteMeta(label) + `=\[(.*)\]$`)
	for _, l := range lines[start:end] {
		if m := re.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			return m[1]
		}
	}
	s.t.Fatalf("%s: %q printed no %s=[...]; screen:\n%s", s.shell, line, label, strings.Join(lines, "\n"))
	return ""
}

func setenv(shell, name, value string) string {
	if shell == "fish" {
		return fmt.Sprintf("set -gx %s %s", name, shQuote(value))
	}
	return fmt.Sprintf("export %s=%s", name, shQuote(value))
}

func unsetenv(shell, name string) string {
	if shell == "fish" {
		return "set -e " + name
	}
	return "unset " + name
}

// rc is a user's rc file: their prompt, then hop's init line.
func rc(shell string, extra ...string) map[string]string {
	lines := append([]string{userPrompts[shell], initLines[shell]}, extra...)
	return map[string]string{rcFiles[shell]: strings.Join(lines, "\n") + "\n"}
}

func hopStartEnv(expires time.Duration, extra ...string) map[string]string {
	return hopEnv("requires3", "123412341234", expiresIn(expires), extra...)
}

func wantPrompt(t *testing.T, shell, step, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s, %s: prompt %q, want %q", shell, step, got, want)
	}
}

func TestTmuxPromptLifecycle(t *testing.T) {
	for _, shell := range runShells() {
		t.Run(shell, func(t *testing.T) {
			t.Parallel()
			s := startSession(t, shell, rc(shell), nil)
			wantPrompt(t, shell, "outside hop", s.prompt("", false), "user[0] "+promptMark)

			s.prompt(setenv(shell, "HOP_ACCOUNT_ID", "123412341234"), false)
			s.prompt(setenv(shell, "HOP_EXPIRES_AT", expiresIn(52*time.Minute+30*time.Second)), false)
			wantPrompt(t, shell, "HOP_PROFILE exported", s.prompt(setenv(shell, "HOP_PROFILE", "requires3"), false),
				"(requires3 123412341234 52m) user[0] "+promptMark)
			wantPrompt(t, shell, "after a failing command", s.prompt("false", false),
				"(requires3 123412341234 52m) user[1] "+promptMark)
			wantPrompt(t, shell, "a few prompts later", s.prompt("true", false),
				"(requires3 123412341234 52m) user[0] "+promptMark)

			if shell != "fish" {
				// fish keeps its prompt in a function: a new one replaces hop's wrapper.
				change := map[string]string{"bash": `PS1='changed ` + promptMark + ` '`, "zsh": `PROMPT='changed ` + promptMark + ` '`}
				wantPrompt(t, shell, "prompt changed after init", s.prompt(change[shell], false),
					"(requires3 123412341234 52m) changed "+promptMark)
			}
			userText := map[string]string{"bash": "changed", "zsh": "changed", "fish": "user[0]"}[shell] + " " + promptMark

			wantPrompt(t, shell, "HOP_PROMPT=0 at run time", s.prompt(setenv(shell, "HOP_PROMPT", "0"), false), userText)
			wantPrompt(t, shell, "HOP_PROMPT unset again", s.prompt(unsetenv(shell, "HOP_PROMPT"), false),
				"(requires3 123412341234 52m) "+userText)
			wantPrompt(t, shell, "HOP_PROFILE unset", s.prompt(unsetenv(shell, "HOP_PROFILE"), false), userText)
			if shell != "fish" {
				// Leaving hop gives back the prompt string exactly as it was.
				show := map[string]string{"bash": `echo "ps1=[$PS1]"`, "zsh": `echo "ps1=[$PS1]"`}
				if got := s.output(show[shell], "ps1"); got != "changed "+promptMark+" " {
					t.Errorf("%s: PS1 after leaving hop is %q, want the user's own", shell, got)
				}
			}
		})
	}
}

func TestTmuxWarningAndColour(t *testing.T) {
	for _, shell := range runShells() {
		t.Run(shell, func(t *testing.T) {
			t.Parallel()
			s := startSession(t, shell, rc(shell), hopStartEnv(4*time.Minute+30*time.Second))
			warn := s.prompt("", true)
			if !strings.HasPrefix(warn, "\x1b[33m(requires3 123412341234 4m)") {
				t.Errorf("%s: near expiry the segment is not yellow: %q", shell, warn)
			}

			plain := s.prompt(setenv(shell, "NO_COLOR", "1"), true)
			wantPrompt(t, shell, "NO_COLOR near expiry", plain, "(requires3 123412341234 4m) user[0] "+promptMark)

			s.prompt(unsetenv(shell, "NO_COLOR"), false)
			expired := s.prompt(setenv(shell, "HOP_EXPIRES_AT", expiresIn(-time.Minute)), true)
			if !strings.HasPrefix(expired, "\x1b[31m(requires3 123412341234 expired)") {
				t.Errorf("%s: expired segment is not red: %q", shell, expired)
			}

			fine := s.prompt(setenv(shell, "HOP_EXPIRES_AT", expiresIn(52*time.Minute+30*time.Second)), true)
			wantPrompt(t, shell, "plenty of time left", fine, "(requires3 123412341234 52m) user[0] "+promptMark)
		})
	}
}

func TestTmuxHopPromptOff(t *testing.T) {
	hooks := map[string]string{
		"bash": `echo "hooks=[${PROMPT_COMMAND[*]}]"`,
		"zsh":  `echo "hooks=[${precmd_functions[*]}]"`,
		"fish": `echo "hooks=["(functions --details fish_prompt)"]"`,
	}
	// Renewal still needs a hook under HOP_PROMPT=0 (bash and zsh), an
	// event handler (fish): only with HOP_RENEW=0 as well is there none.
	renewHook := map[string]string{"bash": "__hop_prompt_command", "zsh": "_hop_precmd", "fish": ""}
	for _, shell := range runShells() {
		for _, renew := range []string{"0", ""} {
			t.Run(shell+"/HOP_RENEW="+renew, func(t *testing.T) {
				t.Parallel()
				s := startSession(t, shell, rc(shell), hopStartEnv(time.Hour, "HOP_PROMPT", "0", "HOP_RENEW", renew))
				wantPrompt(t, shell, "HOP_PROMPT=0", s.prompt("", false), "user[0] "+promptMark)
				got := s.output(hooks[shell], "hooks")
				want := ""
				if renew == "" {
					want = renewHook[shell]
				}
				switch {
				case shell == "fish" && !strings.HasSuffix(got, "config.fish"):
					// fish reports where fish_prompt was defined: the user's config.
					t.Errorf("fish: HOP_PROMPT=0 still wrapped fish_prompt: %q", got)
				case shell != "fish" && got != want:
					t.Errorf("%s: HOP_PROMPT=0 HOP_RENEW=%q: hooks %q, want %q", shell, renew, got, want)
				}
				wantPrompt(t, shell, "HOP_PROMPT=0, later", s.prompt("false", false), "user[1] "+promptMark)
				if shell == "fish" {
					handlers := s.output(`echo "handlers=["(functions --query __hop_renew_hook; and echo on; or echo off)"]"`, "handlers")
					if (handlers == "on") != (renew == "") {
						t.Errorf("fish: HOP_RENEW=%q: renewal handler %q", renew, handlers)
					}
				}
			})
		}
	}
}

func TestTmuxHostileProfile(t *testing.T) {
	// Options under which a careless prompt would expand the name, then the
	// ones under which it would be decoded as prompt escapes.
	options := map[string][2]string{
		"bash": {"", "shopt -u promptvars"},
		"zsh":  {"setopt prompt_subst prompt_bang", "unsetopt prompt_subst"},
		"fish": {"", ""},
	}
	for _, shell := range runShells() {
		t.Run(shell, func(t *testing.T) {
			t.Parallel()
			pwned := filepath.Join(t.TempDir(), "pwned")
			name := "$(touch " + pwned + ")`touch " + pwned + "`${HOME}%~%F{red}\\w\\$!"
			env := hopEnv(name, "123412341234", expiresIn(52*time.Minute+30*time.Second))
			s := startSession(t, shell, rc(shell, options[shell][0]), env)
			want := "(" + name + " 123412341234 52m) user[0] " + promptMark
			wantPrompt(t, shell, "hostile name", s.prompt("", false), want)
			if options[shell][1] != "" {
				if shell == "bash" {
					// Without promptvars the user's own $? shows as text too.
					want = strings.Replace(want, "user[0]", "user[$?]", 1)
				}
				wantPrompt(t, shell, "hostile name, "+options[shell][1], s.prompt(options[shell][1], false), want)
			}
			wantPrompt(t, shell, "hostile name, later", s.prompt("true", false), want)
			if _, err := os.Stat(pwned); err == nil {
				t.Errorf("%s: the profile name ran code: %s exists", shell, pwned)
			}
		})
	}
}

func TestTmuxSourcedTwiceAndNested(t *testing.T) {
	hooks := map[string]string{
		"bash": `c=${PROMPT_COMMAND[*]}; c=${c//__hop_prompt_command/@}; echo "hooks=[${c//[^@]/}]"`,
		"zsh":  `echo "hooks=[${(M)precmd_functions:#_hop_precmd}]"`,
		// The wrapped prompt must be the user's, not another hop wrapper.
		"fish": `echo "hooks=["(functions __hop_user_prompt | string match -e __hop_segment | count)"]"`,
	}
	wantHooks := map[string]string{"bash": "@", "zsh": "_hop_precmd", "fish": "0"}
	for _, shell := range runShells() {
		t.Run(shell, func(t *testing.T) {
			t.Parallel()
			s := startSession(t, shell, rc(shell, initLines[shell]), hopStartEnv(52*time.Minute+30*time.Second))
			want := "(requires3 123412341234 52m) user[0] " + promptMark
			wantPrompt(t, shell, "init sourced twice", s.prompt("", false), want)
			if got := s.output(hooks[shell], "hooks"); got != wantHooks[shell] {
				t.Errorf("%s: hooks after two inits = %q, want %q", shell, got, wantHooks[shell])
			}
			wantPrompt(t, shell, "init sourced a third time", s.prompt(initLines[shell], false), want)
			if got := s.output(hooks[shell], "hooks"); got != wantHooks[shell] {
				t.Errorf("%s: hooks after a third init = %q, want %q", shell, got, wantHooks[shell])
			}

			// A nested shell inherits the HOP_* variables and reads the same rc.
			s.send(shell)
			wantPrompt(t, shell, "nested shell", s.prompt("", false), want)
			if got := s.output(hooks[shell], "hooks"); got != wantHooks[shell] {
				t.Errorf("%s: hooks in a nested shell = %q, want %q", shell, got, wantHooks[shell])
			}
			s.send("exit")
			wantPrompt(t, shell, "back from the nested shell", s.prompt("", false), want)
		})
	}
}

// TestTmuxTheme has the user's own hook, which rebuilds the prompt at each
// prompt, registered before or after hop's init line.
func TestTmuxTheme(t *testing.T) {
	themes := map[string]map[string]string{
		"bash": {
			"before": `theme() { PS1="theme[$?] ` + promptMark + ` "; }; PROMPT_COMMAND=theme`,
			"after":  `theme() { PS1="theme[$?] ` + promptMark + ` "; }; PROMPT_COMMAND="${PROMPT_COMMAND:+$PROMPT_COMMAND; }theme"`,
			"array":  `theme() { PS1="theme[$?] ` + promptMark + ` "; }; PROMPT_COMMAND+=(theme)`,
		},
		"zsh": {
			"before": `theme() { PROMPT="theme[%?] ` + promptMark + ` " }; precmd_functions+=(theme)`,
			"after":  `theme() { PROMPT="theme[%?] ` + promptMark + ` " }; autoload -Uz add-zsh-hook; add-zsh-hook precmd theme`,
		},
		"fish": {
			"after": `function fish_prompt; printf 'theme[%s] ` + promptMark + ` ' $status; end`,
		},
	}
	for _, shell := range runShells() {
		for when, theme := range themes[shell] {
			t.Run(shell+"/"+when, func(t *testing.T) {
				t.Parallel()
				lines := []string{initLines[shell], theme}
				if when == "before" {
					lines = []string{theme, initLines[shell]}
				}
				files := map[string]string{rcFiles[shell]: strings.Join(lines, "\n") + "\n"}
				s := startSession(t, shell, files, hopStartEnv(52*time.Minute+30*time.Second))
				want := "(requires3 123412341234 52m) theme[%d] " + promptMark
				wantPrompt(t, shell, "theme", s.prompt("", false), fmt.Sprintf(want, 0))
				wantPrompt(t, shell, "theme after a failing command", s.prompt("false", false), fmt.Sprintf(want, 1))
				wantPrompt(t, shell, "theme, later", s.prompt("true", false), fmt.Sprintf(want, 0))
			})
		}
	}
	t.Run("fish/function file", func(t *testing.T) {
		t.Parallel()
		files := rc("fish")
		files[rcFiles["fish"]] = initLines["fish"] + "\n"
		files[".config/fish/functions/fish_prompt.fish"] = themes["fish"]["after"] + "\n"
		s := startSession(t, "fish", files, hopStartEnv(52*time.Minute+30*time.Second))
		wantPrompt(t, "fish", "autoloaded prompt", s.prompt("false", false), "(requires3 123412341234 52m) theme[1] "+promptMark)
	})
}

// TestTmuxPythonVenv has a Python venv's activate script, which rewrites the
// prompt in its own way, come on top of hop's segment; then hop's init is
// sourced again, and the venv deactivated.
func TestTmuxPythonVenv(t *testing.T) {
	python := shellPath(t, "python3")
	venv := filepath.Join(t.TempDir(), "hopvenv")
	if out, err := exec.Command(python, "-m", "venv", "--without-pip", venv).CombinedOutput(); err != nil {
		t.Fatalf("python3 -m venv: %v\n%s", err, out)
	}
	activate := map[string]string{"bash": "activate", "zsh": "activate", "fish": "activate.fish"}
	seg := "(requires3 123412341234 52m) "
	for _, shell := range runShells() {
		t.Run(shell, func(t *testing.T) {
			t.Parallel()
			s := startSession(t, shell, rc(shell), hopStartEnv(52*time.Minute+30*time.Second))
			// bash and zsh: hop's hook runs after the venv changed PS1, so the
			// segment stays first. fish: the venv wraps hop's wrapper.
			want := seg + "(hopvenv) user[0] " + promptMark
			if shell == "fish" {
				want = "(hopvenv) " + seg + "user[0] " + promptMark
			}
			wantPrompt(t, shell, "venv activated", s.prompt("source "+shQuote(filepath.Join(venv, "bin", activate[shell])), false), want)
			wantPrompt(t, shell, "hop init again inside the venv", s.prompt(initLines[shell], false), want)
			wantPrompt(t, shell, "venv, later", s.prompt("true", false), want)
			wantPrompt(t, shell, "venv deactivated", s.prompt("deactivate", false), seg+"user[0] "+promptMark)
		})
	}
}
