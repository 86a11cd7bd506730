package completions

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteScripts(t *testing.T) {
	for shell, mustHave := range map[string]string{
		"bash": "complete -o default -C 'HOP_COMPLETE=bash hop' hop",
		"zsh":  "#compdef hop",
		"fish": "complete -c hop",
	} {
		var buf bytes.Buffer
		if err := Write(&buf, shell); err != nil {
			t.Fatalf("Write(%s): %v", shell, err)
		}
		if !strings.Contains(buf.String(), mustHave) {
			t.Errorf("Write(%s) lacks %q:\n%s", shell, mustHave, buf.String())
		}
	}
	if err := Write(&bytes.Buffer{}, "tcsh"); err == nil {
		t.Error("Write(tcsh): want an error for an unsupported shell")
	}
}
