package fetch

import (
	"context"
	"strings"
	"testing"
)

// TestShellCommandRunsCmd: mfa_process's line reaches cmd.exe as written,
// quotes and redirection included, as a user types it in cmd.
func TestShellCommandRunsCmd(t *testing.T) {
	out, err := shellCommand(context.Background(), `echo 123456& echo "two words" 2>nul`).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(strings.ReplaceAll(string(out), "\r", ""))
	if strings.Join(lines, " ") != `123456 "two words"` {
		t.Errorf("cmd printed %q", out)
	}
}
