//go:build unix

package exec

import (
	"bytes"
	"errors"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// runChildEnv makes the test binary, started again by a test, call Run
// instead of running tests: Run replaces the process, so it cannot be
// called in the test process itself.
const runChildEnv = "HOP_EXEC_TEST_RUN"

func TestMain(m *testing.M) {
	if os.Getenv(runChildEnv) == "1" {
		// sh reports the pid it runs as, and argv[0] as the kernel has it.
		err := Run(&Command{Path: "/bin/sh", Args: []string{"hop-child", "-c", `echo "$$ $HOP_TEST_VAR"; tr '\0' ' ' < /proc/$$/cmdline; exit 42`}},
			[]string{"HOP_TEST_VAR=passed", "PATH=/usr/bin:/bin"})
		os.Stderr.WriteString("Run returned: " + err.Error())
		os.Exit(3)
	}
	os.Exit(m.Run())
}

func TestRunReplacesTheProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/cmdline"); err != nil {
		t.Skip("no /proc to read a command line from")
	}
	cmd := osexec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), runChildEnv+"=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *osexec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 42 {
		t.Fatalf("exit %v, stderr %q; want the child's status 42", err, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("child output %q", out.String())
	}
	pid, env, _ := strings.Cut(lines[0], " ")
	if pid != strconv.Itoa(cmd.Process.Pid) {
		t.Errorf("the child ran as pid %s, the process started was %d: Run forked instead of replacing it", pid, cmd.Process.Pid)
	}
	if env != "passed" {
		t.Errorf("the child's HOP_TEST_VAR = %q, want the environment Run was given", env)
	}
	if !strings.HasPrefix(lines[1], "hop-child -c ") {
		t.Errorf("the child's command line %q, want argv as given, from argv[0]", lines[1])
	}
}

func TestRunReportsAFailedStart(t *testing.T) {
	// Not executable: execve fails and Run returns rather than replacing
	// this test process.
	path := filepath.Join(t.TempDir(), "not-executable")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := Run(&Command{Path: path, Args: []string{path}}, nil)
	var cannot *CannotRunError
	if !errors.As(err, &cannot) || cannot.NotFound || !strings.Contains(err.Error(), "cannot run "+path) || !errors.Is(err, syscall.EACCES) {
		t.Errorf("Run = %v, want a CannotRunError wrapping EACCES, naming %s", err, path)
	}
}

func TestLookup(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	sh, err := osexec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH")
	}
	tests := []struct {
		name     string
		args     []string
		vars     map[string]string
		wantPath string
		wantArgs []string
	}{
		{"program on PATH", []string{"sh", "-c", "true"}, nil, sh, []string{"sh", "-c", "true"}},
		{"absolute path", []string{"/bin/sh"}, nil, "/bin/sh", []string{"/bin/sh"}},
		{"no command: the user's shell", nil, map[string]string{"SHELL": "/bin/sh"}, "/bin/sh", []string{"/bin/sh"}},
		{"no command and no SHELL", nil, nil, "/bin/sh", []string{"/bin/sh"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Lookup(tt.args, env(tt.vars))
			if err != nil {
				t.Fatal(err)
			}
			if c.Path != tt.wantPath || strings.Join(c.Args, " ") != strings.Join(tt.wantArgs, " ") {
				t.Errorf("Lookup = %q %q, want %q %q", c.Path, c.Args, tt.wantPath, tt.wantArgs)
			}
		})
	}
	if _, err := Lookup([]string{"no-such-program-hop"}, env(nil)); err == nil || !strings.Contains(err.Error(), `"no-such-program-hop" not found`) {
		t.Errorf("Lookup of a missing program: %v", err)
	}
}

// TestLookupSaysWhyACommandCannotRun: main exits 127 for a command not
// found and 126 for one that cannot run, so Lookup tells them apart.
func TestLookupSaysWhyACommandCannotRun(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "not-executable")
	if err := os.WriteFile(plain, []byte("#!/bin/sh\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		notFound bool
	}{
		{"no-such-program-hop", true},
		{filepath.Join(dir, "missing"), true},
		{plain, false},
		{dir, false},
	} {
		_, err := Lookup([]string{c.name}, func(string) string { return "" })
		var cannot *CannotRunError
		if !errors.As(err, &cannot) || cannot.NotFound != c.notFound {
			t.Errorf("Lookup(%s) = %v, want a CannotRunError with NotFound %v", c.name, err, c.notFound)
		}
	}
}
