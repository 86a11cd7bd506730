//go:build unix

package shellinit

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// runBash runs script in a non-interactive bash with hop's init script at
// $HOP_TEST_INIT, inside a hop environment, and returns its output.
func runBash(t *testing.T, script string) string {
	t.Helper()
	init, err := Script("bash")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	initFile := filepath.Join(dir, "init.bash")
	if err := os.WriteFile(initFile, []byte(init), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(shellPath(t, "bash"), "--norc", "--noprofile", "-c", script)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOP_TEST_INIT=" + initFile,
		"HOP_PROFILE=requires3", "HOP_ACCOUNT_ID=123412341234", "HOP_EXPIRES_AT=" + expiresIn(52*time.Minute+30*time.Second)}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	return string(out)
}

// With bash-preexec loaded first, hop must use its precmd_functions: an entry
// after bash-preexec's in PROMPT_COMMAND would be taken for a typed command.
func TestBashPreexecLoadedFirst(t *testing.T) {
	out := runBash(t, `
__bp_precmd_invoke_cmd() { local f; for f in "${precmd_functions[@]}"; do "$f"; done; }
PROMPT_COMMAND=$'__bp_precmd_invoke_cmd\n__bp_interactive_mode'
precmd_functions=(theme)
theme() { PS1='theme> '; }
source "$HOP_TEST_INIT"
echo "pc=[${PROMPT_COMMAND//$'\n'/;}] fns=[${precmd_functions[*]}]"
precmd_functions+=(late_theme)
late_theme() { PS1='late> '; }
__bp_precmd_invoke_cmd
__bp_precmd_invoke_cmd
echo "fns=[${precmd_functions[*]}] prompt=[${PS1@P}]"
`)
	want := "pc=[__bp_precmd_invoke_cmd;__bp_interactive_mode] fns=[theme __hop_prompt_command]\n" +
		"fns=[theme late_theme __hop_prompt_command] prompt=[(requires3 123412341234 52m) late> ]\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// bash-preexec sourced after hop wraps PROMPT_COMMAND, hop's line included,
// and depends on its own order: hop must not move itself out of it.
func TestBashPreexecLoadedAfter(t *testing.T) {
	out := runBash(t, `
source "$HOP_TEST_INIT"
PS1='user> '
PROMPT_COMMAND=$'__bp_precmd_invoke_cmd\n'"$PROMPT_COMMAND"$'\n:\n__bp_interactive_mode'
before=$PROMPT_COMMAND
__hop_prompt_command
[[ $PROMPT_COMMAND == "$before" ]] && echo "order kept"
echo "prompt=[${PS1@P}]"
`)
	if want := "order kept\nprompt=[(requires3 123412341234 52m) user> ]\n"; out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// A nested shell can inherit an exported PS1 that already holds hop's
// reference; hop must not add a second one.
func TestBashInheritedReference(t *testing.T) {
	out := runBash(t, `
PS1='${__hop_ps1}user> '
source "$HOP_TEST_INIT"
__hop_prompt_command
__hop_prompt_command
echo "ps1=[$PS1] prompt=[${PS1@P}]"
`)
	if want := "ps1=[${__hop_ps1}user> ] prompt=[(requires3 123412341234 52m) user> ]\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}
