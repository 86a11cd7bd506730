package shellinit

import (
	"errors"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestScriptUnknownShell(t *testing.T) {
	for _, shell := range []string{"", "tcsh", "Bash", "nu", "../init.bash"} {
		_, err := Script(shell)
		if !errors.Is(err, ErrUnsupportedShell) {
			t.Errorf("Script(%q) error = %v, want ErrUnsupportedShell", shell, err)
			continue
		}
		for _, supported := range []string{"bash", "fish", "pwsh", "zsh"} {
			if !strings.Contains(err.Error(), supported) {
				t.Errorf("Script(%q) error %q does not list %s", shell, err, supported)
			}
		}
	}
}

func TestShells(t *testing.T) {
	if got, want := Shells(), []string{"bash", "fish", "pwsh", "zsh"}; !slices.Equal(got, want) {
		t.Fatalf("Shells() = %v, want %v", got, want)
	}
}

// TestScriptIsItsShellsFile guards against a shell being handed another
// shell's script: each one names its own rc line.
func TestScriptIsItsShellsFile(t *testing.T) {
	lines := map[string]string{
		"bash": `eval "$(hop init bash)"`,
		"zsh":  `eval "$(hop init zsh)"`,
		"fish": `hop init fish | source`,
	}
	for _, shell := range Shells() {
		script, err := Script(shell)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(script, lines[shell]) {
			t.Errorf("the %s script does not mention %s", shell, lines[shell])
		}
	}
}

// shellPath finds shell, failing (not skipping) when it is missing: CI
// installs all three, and a silent skip would hide an untested shell.
// runShells are the shells the tests start. PowerShell cannot be installed
// here, so its script is held to PowerShell's rules in Go instead
// (pwsh_test.go).
func runShells() []string {
	return slices.DeleteFunc(Shells(), func(shell string) bool { return shell == "pwsh" })
}

func shellPath(t testing.TB, shell string) string {
	t.Helper()
	bin, err := exec.LookPath(shell)
	if err != nil {
		t.Fatalf("%s is needed for these tests (apt-get install %s): %v", shell, shell, err)
	}
	return bin
}

// expiresIn is HOP_EXPIRES_AT for credentials that last d from now. Cases pick
// durations half a minute from a boundary, so a second ticking over while
// the shell starts cannot change the minutes shown.
func expiresIn(d time.Duration) string {
	return strconv.FormatInt(time.Now().Add(d).Unix(), 10)
}
