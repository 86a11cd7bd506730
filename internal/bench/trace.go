package bench

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// CacheAccess is what one run did to the session cache, read from strace.
type CacheAccess struct {
	// Items names each cache item looked up, in order: the keys searched
	// for in the keyctl keyring, or the files opened in the file
	// backend's directory.
	Items []string
	// Listed is set when the keyring's contents or the directory were
	// enumerated.
	Listed bool
	// Files lists every path opened, for checks beyond the cache.
	Files []string
	// Programs lists every program executed, in order.
	Programs []string
}

// TraceCache runs cmd under strace and reports its cache access. fileDir is
// the file backend's directory, or "" when the keyring is keyctl.
//
// The trace holds what the keyring returned, secrets included, so it goes
// through a pipe into this process and is never written to a file or
// printed.
func TraceCache(cmd *exec.Cmd, fileDir string) (CacheAccess, error) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		return CacheAccess{}, fmt.Errorf("tracing needs strace (apt-get install strace): %w", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		return CacheAccess{}, err
	}
	defer r.Close()
	args := append([]string{"-f", "-qq", "-s", "256", "-o", "/dev/fd/3",
		"-e", "trace=keyctl,openat,execve", "--", cmd.Path}, cmd.Args[1:]...)
	tr := exec.Command(strace, args...)
	tr.Env, tr.Dir = cmd.Env, cmd.Dir
	tr.Stdin, tr.Stdout, tr.Stderr = cmd.Stdin, cmd.Stdout, cmd.Stderr
	tr.ExtraFiles = []*os.File{w}
	err = tr.Start()
	w.Close()
	if err != nil {
		return CacheAccess{}, fmt.Errorf("starting strace: %w", err)
	}
	trace, readErr := io.ReadAll(r)
	if err := tr.Wait(); err != nil {
		return CacheAccess{}, fmt.Errorf("%s under strace: %w", filepath.Base(cmd.Path), err)
	}
	if readErr != nil {
		return CacheAccess{}, fmt.Errorf("reading the trace: %w", readErr)
	}
	return parseTrace(string(trace), fileDir)
}

var (
	traceLine  = regexp.MustCompile(`^(\d+) +(.*)$`)
	resumed    = regexp.MustCompile(`^<\.\.\. \w+ resumed>`)
	pidChanged = regexp.MustCompile(`^(.*) <pid changed to (\d+) \.\.\.>$`)
	keyctlCall = regexp.MustCompile(`^keyctl\((KEYCTL_\w+), ([^,]+)(?:, "([^"]*)")?(?:, "([^"]*)")?.*\) += (-?\d+)`)
	openatCall = regexp.MustCompile(`^openat\([^,]+, "([^"]*)"`)
	execveCall = regexp.MustCompile(`^execve\("([^"]*)".* = 0$`)
)

// parseTrace reads `strace -f -o` output: one call a line after the pid,
// or a call split in two ("<unfinished ...>", "<... resumed>") when
// another thread's call came between, or an execve from a thread whose pid
// changes to the leader's ("<pid changed to ...>").
func parseTrace(trace, fileDir string) (CacheAccess, error) {
	var a CacheAccess
	pending := map[string]string{}
	keyrings := map[string]bool{}
	for _, line := range strings.Split(trace, "\n") {
		m := traceLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		pid, call := m[1], m[2]
		if head, ok := strings.CutSuffix(call, " <unfinished ...>"); ok {
			pending[pid] = head
			continue
		}
		if m := pidChanged.FindStringSubmatch(call); m != nil {
			// A thread other than the leader called execve: the kernel
			// gives it the leader's pid, under which the call resumes.
			pending[m[2]] = m[1]
			continue
		}
		if loc := resumed.FindStringIndex(call); loc != nil {
			head, ok := pending[pid]
			if !ok && strings.HasPrefix(call, "<... execve resumed>") {
				// A thread other than the leader called execve: the
				// new program takes the leader's pid, so the call
				// resumes under it.
				for p, h := range pending {
					if strings.HasPrefix(h, "execve(") {
						head, pid = h, p
					}
				}
			}
			call = head + call[loc[1]:]
			delete(pending, pid)
		}
		if k := keyctlCall.FindStringSubmatch(call); k != nil {
			op, id, kind, name, ret := k[1], k[2], k[3], k[4], k[5]
			switch {
			case op == "KEYCTL_SEARCH" && kind == "keyring":
				keyrings[ret] = true
			case op == "KEYCTL_SEARCH":
				a.Items = append(a.Items, name)
			case op == "KEYCTL_READ" && keyrings[id]:
				// Reading a keyring yields the ids of all its keys.
				a.Listed = true
			}
			continue
		}
		if e := execveCall.FindStringSubmatch(call); e != nil {
			a.Programs = append(a.Programs, e[1])
			continue
		}
		if o := openatCall.FindStringSubmatch(call); o != nil {
			path := o[1]
			a.Files = append(a.Files, path)
			if fileDir == "" {
				continue
			}
			switch rel, err := filepath.Rel(fileDir, path); {
			case err != nil || strings.HasPrefix(rel, ".."):
			case rel == ".":
				// Opening the directory itself is how it is listed.
				a.Listed = true
			default:
				a.Items = append(a.Items, rel)
			}
		}
	}
	if len(a.Files) == 0 {
		return a, errors.New("the trace shows no file opened at all; strace did not trace the program")
	}
	return a, nil
}
