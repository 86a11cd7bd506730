//go:build e2e

package completions

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hop-cli/hop/internal/testenv"
)

// TestCompletionStaysCheap traces hop answering a TAB and checks that the
// request reads the two AWS files once each and nothing else of the
// user's: no keyring, no SSO or CLI caches, no second config parse, no
// child process, no network. zsh's and fish's descriptions read the
// files once more, or hop's index of them, and nothing else.
func TestCompletionStaysCheap(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) { checkCompletionStaysCheap(t, shell) })
	}
}

func checkCompletionStaysCheap(t *testing.T, shell string) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace not installed")
	}
	hop := testenv.Hop(t)
	home := t.TempDir()
	writeAWSFiles(t, home)
	for _, dir := range []string{".aws/sso/cache", ".aws/cli/cache", "keyring"} {
		if err := os.MkdirAll(filepath.Join(home, dir), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	describes := shell != "bash"
	trace := filepath.Join(t.TempDir(), "trace")
	cmd := exec.Command(strace, "-f", "-qq", "-s", "4096", "-o", trace, "-e", "trace=%file,%network,execve", hop)
	cmd.Env = []string{
		"HOME=" + home,
		"HOP_FILE_DIR=" + filepath.Join(home, "keyring"),
		"COMP_LINE=hop exec ",
		"HOP_COMPLETE=" + shell,
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("strace hop: %v", err)
	}
	if !strings.Contains(string(out), "requires3") {
		t.Fatalf("hop answered %q, want the profile names", out)
	}
	if described := strings.Contains(string(out), "222222222222 s3-reader"); described != (shell != "bash") {
		t.Errorf("for %s hop answered %q: descriptions there %v, want %v", shell, out, described, !described)
	}
	data, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}

	quoted := regexp.MustCompile(`"([^"]*)"`)
	touched, opened := map[string]bool{}, map[string]int{}
	var execs int
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.Contains(line, "execve("):
			execs++
		case strings.Contains(line, "AF_INET"):
			t.Errorf("completion used the network: %s", line)
		}
		for _, m := range quoted.FindAllStringSubmatch(line, -1) {
			if path, ok := strings.CutPrefix(m[1], home); ok {
				touched[path] = true
				if strings.Contains(line, "open") {
					opened[path]++
				}
			}
		}
	}
	if execs != 1 {
		t.Errorf("completion ran %d programs, want hop alone:\n%s", execs, data)
	}
	// Names come from the headers. Descriptions read the profiles asked
	// about through the config index a warm exec keeps, or, while the
	// files are too new to index (as here), from one full parse.
	reads := 1
	if describes {
		reads = 2
	}
	want := map[string]int{"/.aws/config": reads, "/.aws/credentials": reads}
	index := "/.cache/hop/config-index/"
	for path := range touched {
		if _, ok := want[path]; !ok && !(describes && strings.HasPrefix(path, index)) {
			t.Errorf("completion touched ~%s, which it has no need of", path)
		}
	}
	for path, n := range want {
		if opened[path] != n {
			t.Errorf("completion opened ~%s %d times, want %d", path, opened[path], n)
		}
	}
}
