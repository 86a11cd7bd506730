//go:build e2e

package completions

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/testenv"
	"github.com/hop-cli/hop/internal/tmux"
)

// prompt is what every test shell shows, so the tests can tell when it is ready.
const prompt = "hop-test$ "

// shellSetup is one way a user installs hop's completion in one shell.
type shellSetup struct {
	name  string
	shell string
	// files are written under the temporary HOME; "$SCRIPT" is replaced by
	// the output of `hop completions <shell>`.
	files map[string]string
	argv  []string
	env   []string
	// profiles are those `hop exec <TAB>` should list in bash, which shows
	// no descriptions; zsh and fish list writeAWSFiles' with theirs.
	profiles []string
	// codeNames runs the test of names that are shell syntax, which takes
	// a while: once per shell is enough.
	codeNames bool
}

var setups = []shellSetup{
	{
		name:      "bash/eval in bashrc",
		codeNames: true,
		shell:     "bash",
		files: map[string]string{
			".bashrc": "PS1='" + prompt + "'\neval \"$(hop completions bash)\"\n",
			// AWS_CONFIG_FILE below points here, away from ~/.aws/config.
			"custom/aws-config": "[profile requires3]\n[profile example]\n[profile other]\n[profile custom-only]\n[sso-session corp]\n",
		},
		argv:     []string{"bash", "--noprofile", "--rcfile", "$HOME/.bashrc", "-i"},
		env:      []string{"AWS_CONFIG_FILE=$HOME/custom/aws-config"},
		profiles: []string{"custom-only", "example", "other", "requires3", "static-keys"},
	},
	{
		name:      "zsh/eval in zshrc",
		codeNames: true,
		shell:     "zsh",
		files: map[string]string{
			".zshrc": "PROMPT='" + prompt + "'\nautoload -Uz compinit && compinit -u -D\neval \"$(hop completions zsh)\"\n",
		},
		argv: []string{"zsh", "-d", "-i"},
		env:  []string{"ZDOTDIR=$HOME"},
	},
	{
		name:  "zsh/_hop in fpath",
		shell: "zsh",
		files: map[string]string{
			".zshrc":      "PROMPT='" + prompt + "'\nfpath=(~/.zfunc $fpath)\nautoload -Uz compinit && compinit -u -D\n",
			".zfunc/_hop": "$SCRIPT",
		},
		argv: []string{"zsh", "-d", "-i"},
		env:  []string{"ZDOTDIR=$HOME"},
	},
	{
		name:      "fish/source in config.fish",
		codeNames: true,
		shell:     "fish",
		files: map[string]string{
			".config/fish/config.fish": fishQuiet + "hop completions fish | source\n",
		},
		argv: []string{"fish", "-i"},
	},
	{
		name:  "fish/completions directory",
		shell: "fish",
		files: map[string]string{
			".config/fish/config.fish":          fishQuiet,
			".config/fish/completions/hop.fish": "$SCRIPT",
		},
		argv: []string{"fish", "-i"},
	},
}

// zsh runs compinit with -D: writing the dump file costs seconds per shell
// and each test shell starts once.

// fishQuiet keeps fish's screen to the prompt and the typed line: no
// greeting, and no grey autosuggestion after the cursor.
const fishQuiet = "set -g fish_greeting\nset -g fish_autosuggestion_enabled 0\nfunction fish_prompt; printf '" + prompt + "'; end\n"

func TestShellCompletion(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed")
	}
	hop := testenv.Hop(t)
	for _, setup := range setups {
		t.Run(setup.name, func(t *testing.T) {
			if _, err := exec.LookPath(setup.shell); err != nil {
				t.Skipf("%s not installed", setup.shell)
			}
			t.Run("profile name", func(t *testing.T) {
				t.Parallel()
				term := startShell(t, hop, setup)
				term.typeText("hop exec req")
				term.keys("Tab")
				term.waitLine("hop exec requires3")
			})
			t.Run("subcommand", func(t *testing.T) {
				t.Parallel()
				term := startShell(t, hop, setup)
				term.typeText("hop exe")
				term.keys("Tab")
				term.waitLine("hop exec")
			})
			t.Run("shell names", func(t *testing.T) {
				t.Parallel()
				term := startShell(t, hop, setup)
				term.typeText("hop init ")
				term.listCandidates()
				term.waitListed("bash", "fish", "pwsh", "zsh")
			})
			t.Run("all profiles", func(t *testing.T) {
				t.Parallel()
				term := startShell(t, hop, setup)
				term.typeText("hop exec ")
				term.listCandidates()
				if setup.shell != "bash" {
					// Listed one a line, beside account and role.
					term.waitDescribed(map[string]string{
						"default":     "",
						"example":     "111111111111 ReadOnly",
						"other":       "333333333333 Admin",
						"requires3":   "222222222222 s3-reader",
						"static-keys": "",
					})
					return
				}
				term.waitListed(setup.profiles...)
			})
			t.Run("flag values", func(t *testing.T) {
				t.Parallel()
				term := startShell(t, hop, setup)
				for _, tc := range []struct{ typed, want string }{
					{"hop exec --backend fi", "hop exec --backend file"},
					{"hop exec --region us-gov-w", "hop exec --region us-gov-west-1"},
					{"hop login --sso-session ", "hop login --sso-session corp"},
				} {
					term.typeText(tc.typed)
					term.keys("Tab")
					term.waitLine(tc.want)
					term.keys("C-u")
					term.waitLine("")
				}
				term.typeText("hop exec --region us-")
				term.listCandidates()
				term.waitListed("us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2")
			})
			t.Run("names that are code", func(t *testing.T) {
				if !setup.codeNames {
					t.Skip("checked in another setup of this shell")
				}
				t.Parallel()
				term := startShell(t, hop, setup)
				checkCodeNamesComplete(term)
			})
			t.Run("files after the profile", func(t *testing.T) {
				t.Parallel()
				term := startShell(t, hop, setup)
				term.typeText("hop exec example cat notes")
				term.keys("Tab")
				term.waitLine("hop exec example cat notes-file.txt")
			})
		})
	}
}

// checkCodeNamesComplete completes profile names that are shell syntax,
// from a partial name, then runs the completed line: the child must get
// the exact name in HOP_PROFILE, and nothing in the name may run.
func checkCodeNamesComplete(term *terminal) {
	t := term.t
	t.Helper()
	names := []string{"ops&dev", "my team", "x$(touch pwned)", "it's", "semi;colon|pipe"}
	var credentials strings.Builder
	for _, name := range names {
		fmt.Fprintf(&credentials, "[%s]\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\naws_secret_access_key = not-a-secret\n", name)
	}
	if err := os.WriteFile(filepath.Join(term.home, ".aws", "credentials"), []byte(credentials.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct{ typed, name string }{
		{"ops", "ops&dev"},
		{"my", "my team"},
		{`my\ t`, "my team"},
		{"x", "x$(touch pwned)"},
		{"it", "it's"},
		{"semi", "semi;colon|pipe"},
	} {
		line := "hop exec " + tc.typed
		term.typeText(line)
		term.keys("Tab")
		term.waitFor(fmt.Sprintf("TAB to complete %q", line), func(lines []string, row int) bool {
			got := strings.TrimRight(lines[row], " ")
			return row < len(lines) && strings.HasPrefix(got, prompt+line) && got != prompt+line
		})
		got := filepath.Join(term.home, fmt.Sprintf("got-%d", i))
		term.Type(fmt.Sprintf(" -- sh -c 'printf %%s \"$HOP_PROFILE\" >%s'", got))
		term.keys("Enter")
		term.waitLine("")
		data, err := os.ReadFile(got)
		if err != nil || string(data) != tc.name {
			lines, _ := term.screen()
			t.Errorf("%s: %q TAB, run: the child got profile %q (%v), want %q; screen:\n%s", term.shell, line, data, err, tc.name, strings.Join(lines, "\n"))
		}
		if _, err := os.Stat(filepath.Join(term.home, "pwned")); err == nil {
			t.Fatalf("%s: completing %q ran code from a profile name", term.shell, line)
		}
		term.keys("C-l")
		term.waitFor("a clear screen", func(lines []string, row int) bool { return row == 0 })
	}
}

// terminal is one shell running in its own tmux server.
type terminal struct {
	*tmux.Pane
	t     *testing.T
	shell string
	home  string
}

func startShell(t *testing.T, hop string, setup shellSetup) *terminal {
	t.Helper()
	home := t.TempDir()
	writeAWSFiles(t, home)
	if err := os.WriteFile(filepath.Join(home, "notes-file.txt"), []byte("not a profile\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	script, err := exec.Command(hop, "completions", setup.shell).Output()
	if err != nil {
		t.Fatalf("hop completions %s: %v", setup.shell, err)
	}
	if setup.shell == "fish" {
		// With this directory present fish skips generating completions from
		// man pages in the background, which would outlive the test.
		if err := os.MkdirAll(filepath.Join(home, ".local/share/fish/generated_completions"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range setup.files {
		path := filepath.Join(home, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		content = strings.ReplaceAll(content, "$SCRIPT", string(script))
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	env := []string{
		"HOME=" + home,
		"PATH=" + filepath.Dir(hop) + ":/usr/local/bin:/usr/bin:/bin",
		"TERM=screen",
		"LANG=C.UTF-8",
		// For the one hop exec the tests run, of a profile with static keys.
		"HOP_BACKEND=file",
		"HOP_FILE_DIR=" + filepath.Join(home, "keyring"),
		"HOP_FILE_PASSPHRASE=completion-tests",
	}
	for _, e := range setup.env {
		env = append(env, strings.ReplaceAll(e, "$HOME", home))
	}
	argv := append([]string{"env", "-i"}, env...)
	for _, a := range setup.argv {
		argv = append(argv, strings.ReplaceAll(a, "$HOME", home))
	}
	term := &terminal{t: t, shell: setup.shell, home: home,
		Pane: tmux.Start(t, tmux.Options{Width: 160, Height: 40, Dir: home, Limit: 20 * time.Second}, argv...)}
	term.waitLine("")
	return term
}

func (term *terminal) typeText(text string) {
	term.t.Helper()
	term.Type(text)
	term.waitLine(text)
}

func (term *terminal) keys(keys ...string) {
	term.t.Helper()
	term.Press(keys...)
}

// listCandidates asks the shell to show every candidate: bash lists on the
// second TAB, zsh and fish on the first.
func (term *terminal) listCandidates() {
	term.t.Helper()
	term.keys("Tab")
	if term.shell == "bash" {
		term.keys("Tab")
	}
}

// screen returns the visible lines and the cursor's row.
func (term *terminal) screen() ([]string, int) {
	term.t.Helper()
	return strings.Split(term.Capture(), "\n"), term.CursorRow()
}

// waitLine waits until the line under the cursor is the prompt followed by
// want (trailing blanks aside).
func (term *terminal) waitLine(want string) {
	term.t.Helper()
	want = strings.TrimRight(prompt+want, " ")
	term.waitFor(fmt.Sprintf("the command line to read %q", want), func(lines []string, row int) bool {
		return row < len(lines) && strings.TrimRight(lines[row], " ") == want
	})
}

// waitListed waits until one screen line lists exactly the candidates want.
func (term *terminal) waitListed(want ...string) {
	term.t.Helper()
	want = slices.Sorted(slices.Values(want))
	term.waitFor(fmt.Sprintf("a line listing exactly %q", want), func(lines []string, _ int) bool {
		for _, line := range lines {
			fields := strings.Fields(line)
			slices.Sort(fields)
			if slices.Equal(fields, want) {
				return true
			}
		}
		return false
	})
}

// waitDescribed waits until each name is listed with its description (if
// any) beside it: zsh lists one a line, as _describe does ("name --
// description"); fish puts the description in brackets after the name.
func (term *terminal) waitDescribed(about map[string]string) {
	term.t.Helper()
	var patterns []*regexp.Regexp
	for name, desc := range about {
		pattern := `(^|\s)` + regexp.QuoteMeta(name) + `(\s|$)`
		switch {
		case term.shell == "zsh" && desc == "":
			pattern = `^` + regexp.QuoteMeta(name) + `\s*$`
		case term.shell == "zsh":
			pattern = `^` + regexp.QuoteMeta(name) + `\s+-- ` + regexp.QuoteMeta(desc) + `\s*$`
		case desc != "":
			pattern = `(^|\s)` + regexp.QuoteMeta(name) + `\s+\(` + regexp.QuoteMeta(desc) + `\)`
		}
		patterns = append(patterns, regexp.MustCompile(pattern))
	}
	term.waitFor(fmt.Sprintf("a listing of %q", about), func(lines []string, _ int) bool {
		for _, p := range patterns {
			if !slices.ContainsFunc(lines, p.MatchString) {
				return false
			}
		}
		return true
	})
}

// waitFor polls the screen until ok, and fails showing the screen after
// the pane's limit, which only bounds a hang; speed is measured by the
// benchmarks.
func (term *terminal) waitFor(what string, ok func(lines []string, row int) bool) {
	term.t.Helper()
	term.Poll(term.shell+": "+what, func() bool { return ok(term.screen()) })
}
