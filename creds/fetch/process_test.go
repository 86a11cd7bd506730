//go:build unix

package fetch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/shellwords"
)

// TestSplitCommandAsTheAWSCLI: credential_process lines split as Python's
// shlex.split splits them, which is what the AWS CLI v2 runs them with.
func TestSplitCommandAsTheAWSCLI(t *testing.T) {
	python, err := osexec.LookPath("python3")
	if err != nil {
		t.Skip("no python3 to compare with")
	}
	lines := []string{
		`helper --profile dev`,
		`  helper   a	b  `,
		`"/opt/my tools/helper" --arg 'x y'`,
		`helper a"b c"d 'e'"f"`,
		`helper "a \" b \\ c \$ d \n"`,
		`helper 'a \ b' a\ b \'q\'`,
		`helper '' ""`,
		`helper $HOME ~ *.json # not a comment`,
		"helper \"multi\nline\"",
		`héllo 'wörld'`,
		``,
	}
	// One python for all the lines: it is slow to start.
	in, _ := json.Marshal(lines)
	cmd := osexec.Command(python, "-c", "import json, shlex, sys; print(json.dumps([shlex.split(l) for l in json.load(sys.stdin)]))")
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var wants [][]string
	if err := json.Unmarshal(out, &wants); err != nil {
		t.Fatal(err)
	}
	for i, line := range lines {
		got, err := shellwords.Shlex.Split(line)
		if err != nil {
			t.Errorf("shellwords.Shlex.Split(%q): %v", line, err)
			continue
		}
		if want := wants[i]; !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("shellwords.Shlex.Split(%q) = %q, shlex.split gives %q", line, got, want)
		}
	}
	for _, line := range []string{`helper "open`, `helper 'open`, `helper \`} {
		if got, err := shellwords.Shlex.Split(line); err == nil {
			t.Errorf("shellwords.Shlex.Split(%q) = %q, want an error as shlex.split raises", line, got)
		}
	}
}

// helper writes a credential_process script and a profile running it.
func helper(t *testing.T, script string) (*processProvider, *bytes.Buffer) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "my helper")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+script), 0o700); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	f := New(Options{Getenv: os.Getenv, Stderr: &stderr})
	hop := &creds.Hop{Profile: "dev", Kind: creds.KindProcess, Process: strconv.Quote(path) + " --flag 'two words'"}
	return &processProvider{f: f, hop: hop}, &stderr
}

const secret = "wJalrXUtnFEMI-helper-secret"

func TestProcessHelperCredentials(t *testing.T) {
	p, stderr := helper(t, `[ "$1 $2" = "--flag two words" ] || exit 9
printf 'a warning \033]0;title\007 on stderr\n' >&2
cat <<EOF
{"Version": 1, "AccessKeyId": "AKIAHELPER", "SecretAccessKey": "`+secret+`", "SessionToken": "tok", "Expiration": "2099-01-02T03:04:05Z"}
EOF
`)
	c, err := p.Retrieve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessKeyID != "AKIAHELPER" || c.SecretAccessKey != secret || c.SessionToken != "tok" || !c.CanExpire || c.Expires.Year() != 2099 {
		t.Errorf("credentials %+v", c)
	}
	if got := stderr.String(); got != `a warning \e]0;title\x07 on stderr`+"\n" {
		t.Errorf("the helper's stderr came through as %q, want it line by line through untrusted.Text", got)
	}
}

// TestProcessHelperOutputIsNeverEchoed: output that is not the document
// is described, never quoted: it may hold the secrets.
func TestProcessHelperOutputIsNeverEchoed(t *testing.T) {
	doc := `{"Version": 1, "AccessKeyId": "AKIAHELPER", "SecretAccessKey": "` + secret + `"`
	for _, c := range []struct {
		name, out string
		want      []string
	}{
		{"a notice line before the JSON", "Notice: token " + secret + " refreshed\n" + doc + "}", []string{"not a JSON document", "byte 1 of"}},
		{"a trailing comma", doc + ",}", []string{"not a JSON document", "byte"}},
		{"a second document", doc + "}\n" + doc + "}", []string{"not a JSON document"}},
		{"Version 2", `{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "` + secret + `"}`, []string{"Version 2"}},
		{"no Version", `{"AccessKeyId": "A", "SecretAccessKey": "` + secret + `"}`, []string{"without a Version"}},
		{"Version a string", `{"Version": "1", "AccessKeyId": "A", "SecretAccessKey": "` + secret + `"}`, []string{"Version is not a int"}},
		{"no secret key", `{"Version": 1, "AccessKeyId": "A", "SessionToken": "` + secret + `"}`, []string{"without a SecretAccessKey"}},
		{"a bad Expiration", `{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "` + secret + `"}`, []string{"Expiration is not an RFC 3339 time"}},
		{"nothing", "", []string{"printed nothing"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, _ := helper(t, "cat <<'EOF'\n"+c.out+"\nEOF\n")
			_, err := p.Retrieve(t.Context())
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, secret) || strings.Contains(msg, "Notice") {
				t.Errorf("the error echoes the helper's output: %s", msg)
			}
			for _, w := range append(c.want, "profile dev:", `credential_process "`) {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
		})
	}
}

// gone reports whether pid has ended (a zombie waiting for its reaper has
// ended too).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return errors.Is(err, os.ErrNotExist)
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	return strings.HasPrefix(rest, "Z")
}

// checkGone waits for the kernel to finish killing pid. The limit only
// keeps a broken runner from hanging the test.
func checkGone(t *testing.T, pid int) {
	t.Helper()
	limit := time.After(10 * time.Second)
	for !gone(pid) {
		select {
		case <-limit:
			t.Fatalf("process %d survived its helper", pid)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// hangingHelper starts a grandchild, reports its pid, and never answers.
func hangingHelper(t *testing.T) (*processProvider, string) {
	t.Helper()
	pidFile := filepath.Join(t.TempDir(), "grandchild")
	p, _ := helper(t, `sleep 300 & echo $! > `+pidFile+`.tmp; mv `+pidFile+`.tmp `+pidFile+`; wait`)
	return p, pidFile
}

func readPid(t *testing.T, pidFile string) int {
	t.Helper()
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the helper did not start its grandchild: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

func TestProcessHelperThatNeverAnswers(t *testing.T) {
	p, pidFile := hangingHelper(t)
	p.timeout = time.Second
	_, err := p.Retrieve(t.Context())
	if err == nil || !strings.Contains(err.Error(), `profile dev: credential_process "`) || !strings.Contains(err.Error(), "my helper\" did not answer within 1s") {
		t.Fatalf("error %v, want one naming the profile and the helper that did not answer", err)
	}
	checkGone(t, readPid(t, pidFile))
}

// TestProcessHelperInterrupted: a signal to hop (its context cancelled
// with the signal) ends the helper's whole group, and the error carries
// the signal for main.
func TestProcessHelperInterrupted(t *testing.T) {
	p, pidFile := hangingHelper(t)
	ctx, cancel := context.WithCancelCause(t.Context())
	go func() {
		for {
			if _, err := os.Stat(pidFile); err == nil {
				cancel(&Interrupted{Signal: syscall.SIGTERM})
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	_, err := p.Retrieve(ctx)
	var intr *Interrupted
	if !errors.As(err, &intr) || intr.Signal != syscall.SIGTERM {
		t.Fatalf("error %v, want the SIGTERM carried", err)
	}
	checkGone(t, readPid(t, pidFile))
}

func TestProcessHelperOutputIsBounded(t *testing.T) {
	p, _ := helper(t, "exec yes "+secret+"\n")
	_, err := p.Retrieve(t.Context())
	if err == nil || !strings.Contains(err.Error(), "printed more than 64 KiB") || strings.Contains(err.Error(), secret) {
		t.Fatalf("error %v, want a bound on the output that quotes none of it", err)
	}
}

func TestProcessHelperFailures(t *testing.T) {
	p, _ := helper(t, "echo 'no such account' >&2; exit 3\n")
	if _, err := p.Retrieve(t.Context()); err == nil || !strings.Contains(err.Error(), "exited with status 3") {
		t.Errorf("a failing helper: %v", err)
	}
	p.hop.Process = "no-such-helper-hop --x"
	if _, err := p.Retrieve(t.Context()); err == nil || !strings.Contains(err.Error(), `credential_process "no-such-helper-hop" cannot be started`) {
		t.Errorf("a missing helper: %v", err)
	}
	p.hop.Process = `helper "unclosed`
	if _, err := p.Retrieve(t.Context()); err == nil || !strings.Contains(err.Error(), "profile dev: credential_process cannot be read: a \" quote is not closed") {
		t.Errorf("an unreadable command line: %v", err)
	}
}
