package shellinit

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestScriptUnknownShell(t *testing.T) {
	for _, shell := range []string{"", "tcsh", "Bash", "nu", "../init.bash"} {
		_, err := Script(shell)
		if !errors.Is(err, ErrUnsupportedShell) {
			t.Errorf("Script(%q) error = %v, want ErrUnsupportedShell", shell, err)
			continue
		}
		for _, supported := range []string{"bash", "fish", "zsh"} {
			if !strings.Contains(err.Error(), supported) {
				t.Errorf("Script(%q) error %q does not list %s", shell, err, supported)
			}
		}
	}
}

func TestShells(t *testing.T) {
	if got, want := Shells(), []string{"bash", "fish", "zsh"}; !slices.Equal(got, want) {
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

// TestScriptSyntax has each shell parse its script without running it.
func TestScriptSyntax(t *testing.T) {
	check := map[string][]string{
		"bash": {"-n"},
		"zsh":  {"-n"},
		"fish": {"--no-execute"},
	}
	for _, shell := range Shells() {
		t.Run(shell, func(t *testing.T) {
			bin := shellPath(t, shell)
			script, err := Script(shell)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "init."+shell)
			if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(bin, append(check[shell], file)...).CombinedOutput()
			if err != nil || len(out) > 0 {
				t.Fatalf("%s %v: %v\n%s", shell, check[shell], err, out)
			}
		})
	}
}

// shellPath finds shell, failing (not skipping) when it is missing: CI
// installs all three, and a silent skip would hide an untested shell.
func shellPath(t testing.TB, shell string) string {
	t.Helper()
	bin, err := exec.LookPath(shell)
	if err != nil {
		t.Fatalf("%s is needed for these tests (apt-get install %s): %v", shell, shell, err)
	}
	return bin
}
