// Package shellinit holds the scripts behind `hop init bash|zsh|fish|pwsh`: the
// prompt segment that shows, inside a hop environment, which profile is active
// and how long its credentials last, and the hook that renews a hop shell's
// credentials when they near their end.
//
// The scripts read only HOP_PROFILE, HOP_ACCOUNT_ID, HOP_EXPIRES_AT,
// HOP_SERVER, HOP_PROMPT, HOP_RENEW and NO_COLOR. They are static text, so
// printing one costs hop nothing but a write; all the work happens in the
// shell, at each prompt, without forking, but for one `hop renew` per expiry.
package shellinit

import (
	"embed"
	"errors"
	"fmt"
	"strings"
)

// The templates are whole shell files rather than Go strings so that each can
// be read, linted and syntax-checked as the shell it is written for.
//
//go:embed init.bash init.zsh init.fish init.ps1
var templates embed.FS

// ErrUnsupportedShell is returned, wrapped, for a shell hop has no script for.
var ErrUnsupportedShell = errors.New("unsupported shell")

// file names shell's script. (A switch rather than a map: a map literal
// is built at every start of the front.)
func file(shell string) (string, bool) {
	switch shell {
	case "bash":
		return "init.bash", true
	case "zsh":
		return "init.zsh", true
	case "fish":
		return "init.fish", true
	case "pwsh":
		return "init.ps1", true
	}
	return "", false
}

// Shells lists the shells Script supports, sorted.
func Shells() []string { return []string{"bash", "fish", "pwsh", "zsh"} }

// Script returns the init script for shell, meant to be evaluated by that
// shell's rc file: eval "$(hop init bash)", hop init fish | source, or
// hop init pwsh | Out-String | Invoke-Expression.
func Script(shell string) (string, error) {
	name, ok := file(shell)
	if !ok {
		return "", fmt.Errorf("%w %q: hop init supports %s", ErrUnsupportedShell, shell, strings.Join(Shells(), ", "))
	}
	text, err := templates.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("read embedded %s script (a broken build; reinstall hop): %w", shell, err)
	}
	return string(text), nil
}
