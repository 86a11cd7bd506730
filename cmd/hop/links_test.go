package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestFrontLinks: the front, which every shell start and warm exec runs,
// links no AWS SDK, no kong, no keyring library and no terminal UI: their
// package initialisation alone would cost more than its work.
func TestFrontLinks(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/aws/", "github.com/alecthomas/kong", "github.com/99designs/keyring", "github.com/charmbracelet/", "github.com/hop-cli/hop/picker", "github.com/hop-cli/hop/creds/fetch"} {
			if strings.HasPrefix(pkg, banned) {
				t.Errorf("the front links %s", pkg)
			}
		}
	}
}
