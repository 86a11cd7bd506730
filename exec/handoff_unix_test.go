//go:build unix

package exec

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestPassphrasePipe: the passphrase leaves the environment for a pipe
// that the environment names instead, with any stale descriptor variable;
// the first of two is the one os.Getenv reads; none, or an empty one,
// makes no pipe; one longer than a pipe holds is refused, by name.
func TestPassphrasePipe(t *testing.T) {
	env := []string{"HOME=/h", "HOP_FILE_PASSPHRASE=first", "HOP_PASSPHRASE_FD=0", "HOP_FILE_PASSPHRASE=second"}
	got, fd, err := passphrasePipe(env)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"HOME=/h", "HOP_PASSPHRASE_FD=" + strconv.Itoa(fd)}; !slices.Equal(got, want) {
		t.Errorf("environment %q, want %q", got, want)
	}
	pipe := os.NewFile(uintptr(fd), "pipe")
	b := make([]byte, 64)
	n, _ := pipe.Read(b)
	pipe.Close()
	if string(b[:n]) != "first" {
		t.Errorf("the pipe holds %q, want the first passphrase", b[:n])
	}

	for _, env := range [][]string{{"HOME=/h"}, {"HOME=/h", "HOP_FILE_PASSPHRASE="}} {
		got, fd, err := passphrasePipe(env)
		if err != nil || fd != -1 || !slices.Equal(got, []string{"HOME=/h"}) {
			t.Errorf("%q: %q, %d, %v; want HOME alone and no pipe", env, got, fd, err)
		}
	}

	long := "HOP_FILE_PASSPHRASE=" + strings.Repeat("x", 4<<20)
	if _, _, err := passphrasePipe([]string{long}); err == nil || !strings.Contains(err.Error(), "HOP_FILE_PASSPHRASE") || !strings.Contains(err.Error(), "shorter") {
		t.Errorf("a 4 MiB passphrase: %v, want a refusal naming HOP_FILE_PASSPHRASE", err)
	}
}

// TestCorePassphrase: hop-core reads the pipe once and takes the variable
// out of its environment; a descriptor that is not a pipe is refused,
// naming the variable.
func TestCorePassphrase(t *testing.T) {
	env, fd, err := passphrasePipe([]string{"HOP_FILE_PASSPHRASE=secret"})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOP_FILE_PASSPHRASE", "")
	t.Setenv(passphraseFDVar, strings.TrimPrefix(env[0], passphraseFDVar+"="))
	if p, err := CorePassphrase(); err != nil || p != "secret" {
		t.Errorf("CorePassphrase() = %q, %v; want the passphrase", p, err)
	}
	if _, ok := os.LookupEnv(passphraseFDVar); ok {
		t.Errorf("%s is still set", passphraseFDVar)
	}
	if err := syscall.Close(fd); err == nil {
		t.Errorf("the pipe is still open")
	}

	f, err := os.CreateTemp(t.TempDir(), "file")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	t.Setenv(passphraseFDVar, strconv.Itoa(int(f.Fd())))
	if _, err := CorePassphrase(); err == nil || !strings.Contains(err.Error(), passphraseFDVar) {
		t.Errorf("a descriptor that is a file: %v, want a refusal naming %s", err, passphraseFDVar)
	}
}
