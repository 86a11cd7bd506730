//go:build e2e && unix

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hop-cli/hop/export"
	"github.com/hop-cli/hop/front"
	"github.com/hop-cli/hop/internal/testenv"
)

// loneFront copies the front where no hop-core is beside it: what it
// cannot serve itself fails, naming the missing hop-core.
func loneFront(t *testing.T) string {
	t.Helper()
	bin, err := os.ReadFile(hopBin)
	if err != nil {
		t.Fatal(err)
	}
	alone := filepath.Join(t.TempDir(), "hop")
	if err := os.WriteFile(alone, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	return alone
}

// TestFrontServesExportAndRenewAsCore: with the target's session cached,
// `hop export` in every format (credential_process's included) and `hop
// renew`, with --hook and without, are served by the front alone, and
// print what hop-core prints, byte for byte, with its exit status; what
// the front cannot serve it hands over.
func TestFrontServesExportAndRenewAsCore(t *testing.T) {
	e := testenv.Start(t)
	for _, store := range []string{"file", "keyctl"} {
		t.Run(store, func(t *testing.T) {
			env := setenv(e.Environ(), "HOP_BACKEND="+store)
			if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
				t.Fatalf("cold run: %s", r.stderr)
			}
			alone := loneFront(t)
			core := filepath.Join(filepath.Dir(hopBin), filepath.FromSlash(front.CorePath))
			lines := [][]string{
				{"export", "requires3"},
				{"export", "-f", "process", "requires3"},
				{"export", "--format=json", "requires3"},
			}
			for _, format := range export.Accepted() {
				lines = append(lines, []string{"export", "requires3", "--format", format})
			}
			for _, shell := range export.RenewalShells {
				lines = append(lines, []string{"renew", "--hook", "--shell", shell, "requires3"},
					[]string{"renew", "requires3", "--shell=" + shell})
			}
			for _, args := range lines {
				fromFront := runBin(t, alone, env, args...)
				fromCore := runBin(t, core, env, args...)
				if fromFront.code != 0 || fromFront.stdout == "" || fromFront != fromCore {
					t.Errorf("hop %s: the front alone gives %+v, hop-core %+v", strings.Join(args, " "), fromFront, fromCore)
				}
			}
			for _, args := range [][]string{
				{"export", "nosuch"},
				{"renew", "--hook", "--shell", "bash", "nosuch"},
				{"export", "requires3", "--region", "eu-west-2"},
				{"export", "requires3", "--format", "yml"},
			} {
				if r := runBin(t, alone, env, args...); r.code == 0 || !strings.Contains(r.stderr, "hop-core") {
					t.Errorf("hop %s: a lone front gives exit %d, stderr %q; want it to hand over and name the missing hop-core", strings.Join(args, " "), r.code, r.stderr)
				}
			}
		})
	}
}
