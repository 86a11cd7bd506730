//go:build e2e

package shellinit

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestScriptSyntax has each shell parse its script without running it.
func TestScriptSyntax(t *testing.T) {
	check := map[string][]string{
		"bash": {"-n"},
		"zsh":  {"-n"},
		"fish": {"--no-execute"},
	}
	for _, shell := range runShells() {
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
