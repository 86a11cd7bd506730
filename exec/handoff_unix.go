//go:build unix

package exec

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/hop-cli/hop/untrusted"
)

// maxPassphrase bounds what hop-core reads from the pipe: far over any
// passphrase a person types or a pipe holds.
const maxPassphrase = 1 << 20

// RunCore replaces this process with hop-core, handing it the file
// keyring's passphrase through a pipe instead of the environment: what a
// process starts with in its environment stays readable to every process
// of the same user (in /proc/PID/environ, or by sysctl on macOS) for as
// long as it runs, whatever it unsets later, and hop-core starts helpers
// and children that could read it there. It returns only on failure.
func RunCore(c *Command, env []string) error {
	// The read end is inherited on purpose: no other process may be
	// started while it is open.
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	env, pipe, err := passphrasePipe(env)
	if err != nil {
		return err
	}
	err = Run(c, env)
	if pipe >= 0 {
		syscall.Close(pipe)
	}
	return err
}

// passphrasePipe takes the passphrase (and any descriptor variable) out
// of env and, when there is one, writes it into a new pipe whose read end
// the returned env names, or -1.
func passphrasePipe(env []string) ([]string, int, error) {
	var passphrase string
	found := false
	kept := env[:0:0]
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		switch {
		case name == PassphraseVar:
			if !found {
				// The first, as os.Getenv reads it.
				passphrase, found = value, true
			}
		case name != passphraseFDVar:
			kept = append(kept, kv)
		}
	}
	if passphrase == "" {
		// Set but empty is unset.
		return kept, -1, nil
	}
	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil {
		return nil, -1, fmt.Errorf("handing %s to hop-core: %w", PassphraseVar, err)
	}
	defer syscall.Close(p[1])
	// Nobody reads it before hop-core starts: a passphrase longer than
	// the pipe holds fails instead of blocking.
	err := syscall.SetNonblock(p[1], true)
	n := 0
	if err == nil {
		n, err = syscall.Write(p[1], []byte(passphrase))
	}
	if err != nil || n < len(passphrase) {
		syscall.Close(p[0])
		return nil, -1, fmt.Errorf("%s (%d bytes) is longer than hop can hand to hop-core through a pipe; use a shorter passphrase", PassphraseVar, len(passphrase))
	}
	return append(kept, passphraseFDVar+"="+strconv.Itoa(p[0])), p[0], nil
}

// CorePassphrase is hop-core's start: it returns the passphrase RunCore
// handed on and takes its variables out of the environment. A hop-core
// started with the passphrase in its environment (not by the front)
// starts itself again through RunCore, so that no process it starts can
// read it there.
func CorePassphrase() (string, error) {
	if os.Getenv(PassphraseVar) != "" {
		self, err := os.Executable()
		if err == nil {
			err = RunCore(&Command{Path: self, Args: os.Args}, os.Environ())
		}
		return "", fmt.Errorf("hop could not start itself again without %s in its environment: %w", PassphraseVar, err)
	}
	os.Unsetenv(PassphraseVar)
	text, ok := os.LookupEnv(passphraseFDVar)
	if !ok {
		return "", nil
	}
	os.Unsetenv(passphraseFDVar)
	bad := fmt.Errorf("%s=%s is not the pipe hop hands to hop-core; unset it", passphraseFDVar, untrusted.Text(text))
	fd, err := strconv.Atoi(text)
	var st syscall.Stat_t
	if err != nil || fd < 3 || syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFIFO {
		return "", bad
	}
	pipe := os.NewFile(uintptr(fd), "passphrase")
	defer pipe.Close()
	b, err := io.ReadAll(io.LimitReader(pipe, maxPassphrase+1))
	switch {
	case err != nil:
		return "", fmt.Errorf("reading %s from the front: %w", PassphraseVar, err)
	case len(b) > maxPassphrase:
		return "", errors.Join(bad, errors.New("it holds more than any passphrase"))
	}
	return string(b), nil
}
