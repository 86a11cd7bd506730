package testenv

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

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
