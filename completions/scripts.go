package completions

import (
	"embed"
	"fmt"
	"io"
)

// The scripts are static text: they ask hop for candidates when the user
// presses TAB, so loading them at shell start costs nothing.
//
//go:embed scripts/hop.bash scripts/_hop scripts/hop.fish
var scripts embed.FS

// scriptFile names shell's script. The zsh one is named _hop so the same
// file works when dropped into a directory on $fpath.
func scriptFile(shell string) (string, bool) {
	switch shell {
	case "bash":
		return "scripts/hop.bash", true
	case "zsh":
		return "scripts/_hop", true
	case "fish":
		return "scripts/hop.fish", true
	}
	return "", false
}

// Write writes the completion script for shell (bash, zsh or fish) to w.
func Write(w io.Writer, shell string) error {
	name, ok := scriptFile(shell)
	if !ok {
		return fmt.Errorf("no completion script for shell %q: use bash, zsh or fish", shell)
	}
	script, err := scripts.ReadFile(name)
	if err != nil {
		return fmt.Errorf("read embedded %s completion script: %w", shell, err)
	}
	if _, err := w.Write(script); err != nil {
		return fmt.Errorf("write %s completion script: %w", shell, err)
	}
	return nil
}
