package fetch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	osexec "os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/exec/job"
	"github.com/hop-cli/hop/shellwords"
	"github.com/hop-cli/hop/untrusted"
)

const (
	// helperTimeout bounds a credential_process helper nobody can answer:
	// the AWS SDKs allow a minute.
	helperTimeout = time.Minute
	// helperTimeoutAtTerminal bounds a helper that holds the terminal: it
	// may be asking its user for an MFA code, or waiting for a sign-in in
	// a browser, which hop itself allows as long.
	helperTimeoutAtTerminal = loginWait
	// helperOutputLimit is far above any credentials document.
	helperOutputLimit = 64 << 10
)

// Interrupted is the error of work a signal stopped: hop's own (the cause
// of its cancelled context), or one the user sent to a helper holding the
// terminal. main exits with 128 plus the signal's number, as a shell
// reports a command the signal stopped.
type Interrupted struct {
	Signal syscall.Signal
	// Err is the failure the signal caused, when there is one to report.
	Err error
}

func (e *Interrupted) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	switch e.Signal {
	case syscall.SIGINT:
		return "interrupted (Ctrl-C)"
	case syscall.SIGHUP:
		return "interrupted: the terminal went away (SIGHUP)"
	}
	return fmt.Sprintf("interrupted by signal %d (%v)", int(e.Signal), e.Signal)
}

func (e *Interrupted) Unwrap() error { return e.Err }

// processProvider runs a hop's credential_process helper, as the AWS CLI
// does: the command line split like a shell's words, no shell, stdout read
// as the credentials document, stderr shown to the user.
type processProvider struct {
	f   *Fetcher
	hop *creds.Hop
	// timeout replaces the bounds above when set (tests).
	timeout time.Duration
}

func (p *processProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	h := p.hop
	args, err := shellwords.Shlex.Split(h.Process)
	if err == nil && len(args) == 0 {
		err = errors.New("it is empty")
	}
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("profile %s: credential_process cannot be read: %w", h.Profile, err)
	}
	out, err := p.run(ctx, args)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("profile %s: credential_process %q %w", h.Profile, args[0], err)
	}
	c, err := parseHelperOutput(out)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("profile %s: credential_process %q printed %w; it must print only the JSON document on stdout (anything else belongs on stderr)", h.Profile, args[0], err)
	}
	return c, nil
}

// run starts the helper in a process group of its own, so that on a
// timeout, a signal to hop, or too much output the whole group is killed,
// grandchildren included. When hop holds the terminal the helper gets it
// for its run, as a shell hands it to a foreground job.
func (p *processProvider) run(ctx context.Context, args []string) ([]byte, error) {
	cmd := osexec.Command(args[0], args[1:]...)
	stdout := &boundedBuffer{limit: helperOutputLimit, over: make(chan struct{})}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, &lineFilter{w: p.f.opts.Stderr}
	// A grandchild left holding stdout must not keep hop waiting.
	cmd.WaitDelay = 2 * time.Second
	group := job.Own(cmd)
	timeout := helperTimeout
	if group.AtTerminal() {
		timeout = helperTimeoutAtTerminal
	}
	if p.timeout > 0 {
		timeout = p.timeout
	}
	if err := cmd.Start(); err != nil {
		group.TakeBack()
		var lookErr *osexec.Error
		if errors.As(err, &lookErr) {
			err = lookErr.Err
		}
		return nil, fmt.Errorf("cannot be started: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	timer := time.NewTimer(timeout)
	defer timer.Stop()

	var stopped error
	select {
	case err := <-exited:
		failure := helperFailure(err)
		if failure != nil {
			// What a failed helper left running (a Ctrl-C does not reach
			// a script's background jobs) is of no use to anyone.
			group.Kill(cmd)
		}
		group.TakeBack()
		if failure != nil {
			return nil, failure
		}
		return stdout.buf.Bytes(), nil
	case <-ctx.Done():
		stopped = context.Cause(ctx)
	case <-timer.C:
		stopped = fmt.Errorf("did not answer within %s; hop stopped it and every process it started", timeout)
	case <-stdout.over:
		stopped = fmt.Errorf("printed more than %d KiB; hop stopped it and every process it started", helperOutputLimit>>10)
	}
	group.Kill(cmd)
	<-exited
	group.TakeBack()
	return nil, stopped
}

// helperFailure explains how a helper that ran ended, or is nil if it
// succeeded.
func helperFailure(err error) error {
	var exit *osexec.ExitError
	if !errors.As(err, &exit) {
		if err != nil {
			return fmt.Errorf("failed: %w", err)
		}
		return nil
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		switch sig := ws.Signal(); sig {
		case syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP:
			// The user's Ctrl-C reached the helper holding the terminal
			// and not hop: hop ends as if it had received it.
			return &Interrupted{Signal: sig, Err: fmt.Errorf("was interrupted (%v)", sig)}
		default:
			return fmt.Errorf("was killed by signal %d (%v)", int(sig), sig)
		}
	}
	return fmt.Errorf("exited with status %d; what it printed on stderr, above, may say why", exit.ExitCode())
}

// parseHelperOutput reads the credential_process document (Version 1).
// Errors say what is wrong and where, and never quote the output: it may
// hold the secrets.
func parseHelperOutput(out []byte) (aws.Credentials, error) {
	if len(bytes.TrimSpace(out)) == 0 {
		return aws.Credentials{}, errors.New("nothing")
	}
	var doc struct {
		Version         *int
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
		Expiration      string
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			return aws.Credentials{}, fmt.Errorf("something that is not a JSON document (it goes wrong at byte %d of %d)", syntax.Offset, len(out))
		case errors.As(err, &typ) && typ.Field != "":
			return aws.Credentials{}, fmt.Errorf("a document whose %s is not a %s", typ.Field, typ.Type)
		}
		return aws.Credentials{}, errors.New("something that is not a JSON object")
	}
	switch {
	case doc.Version == nil:
		return aws.Credentials{}, errors.New("a document without a Version (it must be 1)")
	case *doc.Version != 1:
		return aws.Credentials{}, fmt.Errorf("a document of Version %d (hop reads Version 1)", *doc.Version)
	case doc.AccessKeyID == "":
		return aws.Credentials{}, errors.New("a document without an AccessKeyId")
	case doc.SecretAccessKey == "":
		return aws.Credentials{}, errors.New("a document without a SecretAccessKey")
	}
	c := aws.Credentials{AccessKeyID: doc.AccessKeyID, SecretAccessKey: doc.SecretAccessKey, SessionToken: doc.SessionToken, Source: "hop-process"}
	if doc.Expiration != "" {
		exp, err := time.Parse(time.RFC3339, doc.Expiration)
		if err != nil {
			return aws.Credentials{}, errors.New("a document whose Expiration is not an RFC 3339 time")
		}
		c.CanExpire, c.Expires = true, exp
	}
	return c, nil
}

// boundedBuffer keeps a helper's stdout up to limit, and closes over once
// the helper prints more.
type boundedBuffer struct {
	buf   bytes.Buffer
	limit int
	over  chan struct{}
	once  sync.Once
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if b.buf.Len()+len(p) > b.limit {
		b.once.Do(func() { close(b.over) })
		return 0, errors.New("too much output")
	}
	return b.buf.Write(p)
}

// lineFilter passes a helper's stderr through untrusted.Text, line by
// line. What is whole of an unfinished line (a prompt) goes out at once.
type lineFilter struct {
	w       io.Writer
	pending []byte
}

func (l *lineFilter) Write(p []byte) (int, error) {
	l.pending = append(l.pending, p...)
	var out strings.Builder
	for {
		i := bytes.IndexByte(l.pending, '\n')
		if i < 0 {
			break
		}
		out.WriteString(untrusted.Text(strings.TrimSuffix(string(l.pending[:i]), "\r")) + "\n")
		l.pending = l.pending[i+1:]
	}
	if n := wholeUTF8(l.pending); n > 0 {
		out.WriteString(untrusted.Text(string(l.pending[:n])))
		l.pending = l.pending[n:]
	}
	if _, err := io.WriteString(l.w, out.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// wholeUTF8 is the length of b without a character cut short at its end.
func wholeUTF8(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}
