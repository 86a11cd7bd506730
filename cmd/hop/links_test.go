package main

import (
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestFrontLinks: the front, which every shell start and warm exec runs,
// links no AWS SDK, no kong, no keyring library and no terminal UI: their
// package initialisation alone would cost more than its work. Nor does it
// link what only a child hop waits for needs (signal handling, lending
// the terminal): on Unix a warm exec replaces the front with its child.
func TestFrontLinks(t *testing.T) {
	banned := []string{"github.com/aws/", "github.com/alecthomas/kong", "github.com/99designs/keyring", "github.com/charmbracelet/",
		"github.com/hop-cli/hop/picker", "github.com/hop-cli/hop/creds/fetch", "github.com/hop-cli/hop/tty", "github.com/hop-cli/hop/exec/job", "golang.org/x/term"}
	if runtime.GOOS != "windows" {
		// On Windows the front waits for its child, passing Ctrl-C on.
		banned = append(banned, "os/signal")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, banned := range banned {
			if pkg == banned || strings.HasPrefix(pkg, strings.TrimSuffix(banned, "/")+"/") {
				t.Errorf("the front links %s", pkg)
			}
		}
	}
}
