//go:build e2e

package shellinit

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// drivers run one prompt cycle in a non-interactive shell: source the init
// script, let the case adjust options, run the prompt hooks the way the
// interactive shell would, and print the prompt as the shell expands it.
var drivers = map[string][]string{
	"bash": {"--norc", "--noprofile", "-c", `PS1='user> '
source "$HOP_TEST_INIT"
eval "$HOP_TEST_SETUP"
for hop_test_command in "${PROMPT_COMMAND[@]}"; do eval "$hop_test_command"; done
printf '%s' "${PS1@P}"`},
	"zsh": {"-f", "-c", `PS1='user> '
source "$HOP_TEST_INIT"
eval "$HOP_TEST_SETUP"
if (( ${+precmd_functions} )); then for hop_test_hook in "${precmd_functions[@]}"; do $hop_test_hook; done; fi
print -rnP -- "$PS1"`},
	"fish": {"--no-config", "-c", `function fish_prompt; printf 'user> '; end
source "$HOP_TEST_INIT"
eval "$HOP_TEST_SETUP"
emit fish_prompt
fish_prompt`},
}

// render runs one prompt cycle in shell and returns the prompt, with bash's
// readline markers (\001, \002) dropped.
func render(t *testing.T, shell, setup string, env map[string]string) string {
	t.Helper()
	prompt, _ := renderIn(t, shell, setup, env)
	return prompt
}

// renderIn is render, also returning the directory the shell ran in.
func renderIn(t *testing.T, shell, setup string, env map[string]string) (prompt, dir string) {
	t.Helper()
	script, err := Script(shell)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	initFile := filepath.Join(dir, "init."+shell)
	if err := os.WriteFile(initFile, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(shellPath(t, shell), drivers[shell]...)
	cmd.Dir = dir
	cmd.Env = []string{
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"HOME=" + dir,
		"LANG=C.UTF-8",
		"TERM=xterm-256color",
		"HOP_TEST_INIT=" + initFile,
		"HOP_TEST_SETUP=" + setup,
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s prompt cycle failed: %v\n%s", shell, err, out)
	}
	return strings.NewReplacer("\x01", "", "\x02", "").Replace(string(out)), dir
}

type renderCase struct {
	name string
	env  map[string]string
	want string // regexp for the whole prompt
}

// hopEnv is a hop environment made up by a test, so there is nothing to
// renew: HOP_RENEW=0 keeps the hook from running hop near expiry.
func hopEnv(profile, account, expires string, extra ...string) map[string]string {
	env := map[string]string{"HOP_PROFILE": profile, "HOP_ACCOUNT_ID": account, "HOP_EXPIRES_AT": expires, "HOP_RENEW": "0"}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	return env
}

// The escape sequences that may follow a coloured segment: zsh's %f, bash's
// \e[39m, fish's set_color normal.
const colourEnd = `(?:\x1b\[39m|\x1b\(B\x1b\[m)`

func formatCases() []renderCase {
	const seg = `\(requires3 123412341234 `
	return []renderCase{
		{"outside hop", map[string]string{"HOP_ACCOUNT_ID": "123412341234"}, `^user> $`},
		{"empty profile", hopEnv("", "123412341234", expiresIn(time.Hour)), `^user> $`},
		{"minutes", hopEnv("requires3", "123412341234", expiresIn(52*time.Minute+30*time.Second)), `^` + seg + `52m\) user> $`},
		{"no account", hopEnv("requires3", "", expiresIn(52*time.Minute+30*time.Second)), `^\(requires3 52m\) user> $`},
		{"hours pad minutes", hopEnv("requires3", "123412341234", expiresIn(65*time.Minute+30*time.Second)), `^` + seg + `1h05m\) user> $`},
		{"twelve hours", hopEnv("requires3", "123412341234", expiresIn(12*time.Hour+30*time.Second)), `^` + seg + `12h00m\) user> $`},
		{"five minutes is not yet a warning", hopEnv("requires3", "123412341234", expiresIn(5*time.Minute+30*time.Second)), `^` + seg + `5m\) user> $`},
		{"under five minutes warns", hopEnv("requires3", "123412341234", expiresIn(4*time.Minute+30*time.Second)), `^\x1b\[33m` + seg + `4m\)` + colourEnd + ` user> $`},
		// fish's clock (boot time plus uptime, whole seconds) may run up to
		// a second behind the wall clock, so 51s is a right answer too.
		{"seconds warn", hopEnv("requires3", "123412341234", expiresIn(50*time.Second)), `^\x1b\[33m` + seg + `(?:4\d|5[01])s\)` + colourEnd + ` user> $`},
		{"expired", hopEnv("requires3", "123412341234", expiresIn(-time.Minute)), `^\x1b\[31m` + seg + `expired\)` + colourEnd + ` user> $`},
		{"NO_COLOR warning", hopEnv("requires3", "123412341234", expiresIn(4*time.Minute+30*time.Second), "NO_COLOR", "1"), `^` + seg + `4m\) user> $`},
		{"NO_COLOR expired", hopEnv("requires3", "123412341234", expiresIn(-time.Minute), "NO_COLOR", "1"), `^` + seg + `expired\) user> $`},
		{"empty NO_COLOR keeps colour", hopEnv("requires3", "123412341234", expiresIn(-time.Minute), "NO_COLOR", ""), `^\x1b\[31m` + seg + `expired\)` + colourEnd + ` user> $`},
		{"no expiry", hopEnv("requires3", "123412341234", ""), `^\(requires3 123412341234\) user> $`},
		{"credential server", hopEnv("requires3", "123412341234", "", "HOP_SERVER", "1"), `^\(requires3 123412341234 auto-renew\) user> $`},
		{"credential server never counts down", hopEnv("requires3", "123412341234", expiresIn(4*time.Minute+30*time.Second), "HOP_SERVER", "1"), `^\(requires3 123412341234 auto-renew\) user> $`},
		{"expiry with a leading zero", hopEnv("requires3", "123412341234", "0"+expiresIn(time.Hour)), `^\(requires3 123412341234\) user> $`},
		{"negative expiry", hopEnv("requires3", "123412341234", "-5"), `^\(requires3 123412341234\) user> $`},
		{"expiry too long", hopEnv("requires3", "123412341234", "9999999999999"), `^\(requires3 123412341234\) user> $`},
		{"HOP_PROMPT=0", hopEnv("requires3", "123412341234", expiresIn(time.Hour), "HOP_PROMPT", "0"), `^user> $`},
		{"HOP_PROMPT=off", hopEnv("requires3", "123412341234", expiresIn(time.Hour), "HOP_PROMPT", "off"), `^user> $`},
		{"HOP_PROMPT=1", hopEnv("requires3", "123412341234", expiresIn(52*time.Minute+30*time.Second), "HOP_PROMPT", "1"), `^` + seg + `52m\) user> $`},
		{"control characters", hopEnv("a\x1b[2Jb\x07c\u009bd", "", ""), `^\(a\?\[2Jb\?c\?d\) user> $`},
	}
}

// hostileCases are names that would run code, or change the prompt, if hop
// ever let the shell expand them. pwned is a file that must never appear.
func hostileCases(pwned string) []renderCase {
	names := []string{
		"$(touch " + pwned + ")",
		"`touch " + pwned + "`",
		"${HOME}$HOME",
		`\w\u\$\[\]\\`,
		`%~%n%F{red}%%%`,
		"$((1+1))!!!",
		"'\"; touch " + pwned + "; '",
	}
	var cases []renderCase
	for _, name := range names {
		cases = append(cases, renderCase{
			"profile " + name,
			hopEnv(name, "123412341234", expiresIn(52*time.Minute+30*time.Second)),
			`^\(` + regexp.QuoteMeta(name) + ` 123412341234 52m\) user> $`,
		})
		cases = append(cases, renderCase{
			"account " + name,
			hopEnv("p", name, ""),
			`^\(p ` + regexp.QuoteMeta(name) + `\) user> $`,
		})
	}
	cases = append(cases, renderCase{
		"expiry that runs code in arithmetic",
		hopEnv("p", "", "a[$(touch "+pwned+")]"),
		`^\(p\) user> $`,
	})
	return cases
}

// optionSets are the shell options users have that change how a prompt is
// expanded, or how functions behave.
var optionSets = map[string]map[string]string{
	"bash": {
		"defaults":        "",
		"promptvars off":  "shopt -u promptvars",
		"posix mode":      "shopt -u promptvars; set -o posix",
		"nounset":         "set -u",
		"nocasematch":     "shopt -s nocasematch extglob nullglob failglob",
		"array hook list": "PROMPT_COMMAND=(\"${PROMPT_COMMAND[@]}\")",
		// bash 4.2 to 4.4 have no EPOCHSECONDS, only printf's clock.
		"printf clock": "unset EPOCHSECONDS",
	},
	"zsh": {
		"defaults":                 "",
		"prompt_subst":             "setopt prompt_subst",
		"prompt_subst prompt_bang": "setopt prompt_subst prompt_bang",
		"prompt_bang":              "setopt prompt_bang",
		"odd options":              "setopt ksh_arrays nounset sh_word_split glob_subst warn_create_global extended_glob",
		"no prompt_percent":        "unsetopt prompt_percent",
	},
	"fish": {
		"defaults": "",
	},
}

// colourless are the option sets under which a prompt cannot hold colours.
var colourless = map[string]bool{"zsh/no prompt_percent": true}

func TestRender(t *testing.T) {
	for _, shell := range runShells() {
		for optName, setup := range optionSets[shell] {
			t.Run(shell+"/"+optName, func(t *testing.T) {
				t.Parallel()
				pwned := filepath.Join(t.TempDir(), "pwned")
				for _, c := range append(formatCases(), hostileCases(pwned)...) {
					got := render(t, shell, setup, c.env)
					want := c.want
					if colourless[shell+"/"+optName] {
						want = strings.NewReplacer(`\x1b\[33m`, "", `\x1b\[31m`, "", colourEnd, "").Replace(want)
					}
					if !regexp.MustCompile(want).MatchString(got) {
						t.Errorf("%s: prompt %q, want it to match %q", c.name, got, want)
					}
					if _, err := os.Stat(pwned); err == nil {
						t.Fatalf("%s: a profile name ran code: %s exists", c.name, pwned)
					}
				}
			})
		}
	}
}
