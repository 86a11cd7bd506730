package bench

import (
	"slices"
	"strings"
	"testing"
)

func TestParseTraceKeyctl(t *testing.T) {
	trace := `101 execve("/opt/hop/bin/hop", ["hop", "exec", "deploy", "--", "true"], 0x7ffd /* 3 vars */) = 0
101 openat(AT_FDCWD, "/home/u/.aws/config", O_RDONLY|O_CLOEXEC) = 5
101 keyctl(KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, "keyring", "hop", 0) = 593180598
102 keyctl(KEYCTL_SEARCH, 593180598, "user", "hop:deploy:5821b7b7eee3e703", 0 <unfinished ...>
101 --- SIGURG {si_signo=SIGURG, si_code=SI_TKILL, si_pid=101, si_uid=0} ---
102 <... keyctl resumed>) = 716286325
102 keyctl(KEYCTL_READ, 716286325, "", 0) = 543
102 keyctl(KEYCTL_READ, 716286325, "{\"AccessKeyId\":\"x\"}", 543) = 543
102 +++ superseded by execve in pid 102 +++
101 execve("/usr/local/bin/true", ["true"], 0x1c0 /* 9 vars */) = -1 ENOENT (No such file or directory)
101 execve("/usr/bin/true", ["true"], 0x1c0 /* 9 vars */) = 0
`
	a, err := parseTrace(trace, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Items, []string{"hop:deploy:5821b7b7eee3e703"}) || a.Listed {
		t.Errorf("items %q, listed %v; want the one key searched, not listed", a.Items, a.Listed)
	}
	if !slices.Equal(a.Files, []string{"/home/u/.aws/config"}) {
		t.Errorf("files %q", a.Files)
	}
	if !slices.Equal(a.Programs, []string{"/opt/hop/bin/hop", "/usr/bin/true"}) {
		t.Errorf("programs %q, want hop and the true that started", a.Programs)
	}

	// A thread other than the leader execs: the call resumes under the
	// leader's pid.
	threaded := strings.Replace(trace, `101 execve("/usr/bin/true", ["true"], 0x1c0 /* 9 vars */) = 0`,
		`104 execve("/usr/bin/true", ["true"], 0x1c0 /* 9 vars */ <pid changed to 101 ...>
101 +++ superseded by execve in pid 104 +++
101 <... execve resumed>)             = 0`, 1)
	if a, err := parseTrace(threaded, ""); err != nil || !slices.Equal(a.Programs, []string{"/opt/hop/bin/hop", "/usr/bin/true"}) {
		t.Errorf("execve from a non-leader thread: programs %q (%v), want hop and true", a.Programs, err)
	}

	// Reading the keyring itself is listing it.
	a, err = parseTrace(trace+"103 keyctl(KEYCTL_READ, 593180598, \"\", 0) = 20\n", "")
	if err != nil || !a.Listed {
		t.Errorf("reading the keyring's key ids: listed %v (%v), want true", a.Listed, err)
	}
}

func TestParseTraceFile(t *testing.T) {
	trace := `7 openat(AT_FDCWD, "/home/u/.aws/config", O_RDONLY|O_CLOEXEC) = 5
8 openat(AT_FDCWD, "/home/u/.hop/keyring/hop:deploy:abc", O_RDONLY|O_CLOEXEC) = 5
8 openat(AT_FDCWD, "/home/u/.hop/keyring-other/x", O_RDONLY|O_CLOEXEC) = 6
`
	a, err := parseTrace(trace, "/home/u/.hop/keyring")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Items, []string{"hop:deploy:abc"}) || a.Listed {
		t.Errorf("items %q, listed %v; want the one file, not listed", a.Items, a.Listed)
	}
	a, err = parseTrace(trace+`9 openat(AT_FDCWD, "/home/u/.hop/keyring", O_RDONLY|O_CLOEXEC|O_DIRECTORY) = 7`+"\n", "/home/u/.hop/keyring")
	if err != nil || !a.Listed {
		t.Errorf("opening the directory: listed %v (%v), want true", a.Listed, err)
	}
	if _, err := parseTrace("strace: exec: No such file or directory\n", ""); err == nil {
		t.Error("a trace of nothing parsed without error")
	}
}

// TestParseTraceExecveFromAThread: a Go program may execve from any of its
// threads, and the call then resumes under the leader's pid.
func TestParseTraceExecveFromAThread(t *testing.T) {
	trace := `7 openat(AT_FDCWD, "/home/u/.aws/config", O_RDONLY|O_CLOEXEC) = 5
9 execve("/usr/bin/true", ["true"], 0xc000 /* 3 vars */ <unfinished ...>
7 +++ superseded by execve in pid 9 +++
7 <... execve resumed>) = 0
`
	a, err := parseTrace(trace, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Programs, []string{"/usr/bin/true"}) {
		t.Errorf("programs %q, want the execve from the thread", a.Programs)
	}
}
