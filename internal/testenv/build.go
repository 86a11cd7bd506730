package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// built is the hop this test binary built, once, for every test that runs
// it.
var built struct {
	once sync.Once
	dir  string
	hop  string
	err  error
}

// BuiltHop is hop built once for this test binary, as BuildHop lays it out,
// go build given flags the first time; Run (or Main) removes it when the
// tests end. It returns the front's path.
func BuiltHop(flags ...string) (string, error) {
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "hop-test-bin-"); built.err == nil {
			built.hop, built.err = BuildHop(built.dir, flags...)
		}
	})
	return built.hop, built.err
}

// Hop is BuiltHop for a test, which fails if hop does not build.
func Hop(tb testing.TB, flags ...string) string {
	tb.Helper()
	hop, err := BuiltHop(flags...)
	if err != nil {
		tb.Fatal(err)
	}
	return hop
}

// Run runs m's tests, then removes the hop they built: the TestMain of a
// package whose tests run hop but need no moto_server.
func Run(m *testing.M) int {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	return code
}

// BuildHop builds hop laid out as `make install` lays it out, the front at
// dir/bin/hop and hop-core at dir/libexec/hop/hop-core, passing flags to go
// build, and returns the front's path: what users run.
func BuildHop(dir string, flags ...string) (string, error) {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	front := filepath.Join(dir, "bin", "hop")
	for _, b := range []struct{ out, pkg string }{
		{filepath.Join(dir, "libexec", "hop", "hop-core"), "."},
		{front, "./cmd/hop"},
	} {
		cmd := exec.Command("go", append(append([]string{"build"}, flags...), "-o", b.out, b.pkg)...)
		cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go build %s: %w\n%s", b.pkg, err, out)
		}
	}
	return front, nil
}
