package testenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// motoStartTimeout bounds moto_server's start; it takes 1-2 s on an idle
// machine, much more on a loaded CI runner.
const motoStartTimeout = 60 * time.Second

var motoListening = regexp.MustCompile(`Running on (http://127\.0\.0\.1:\d+)`)

// Moto is a running moto_server on 127.0.0.1. One Env uses it at a time.
type Moto struct {
	// URL reaches moto directly, bypassing any Env's counting proxy.
	URL string

	cmd    *exec.Cmd
	logDir string
	exited chan struct{}
	inUse  sync.Mutex
}

// StartMoto starts moto_server (from PATH) on a free 127.0.0.1 port, with
// IAM authentication off until an Env seeds it, and waits until it answers.
func StartMoto() (*Moto, error) {
	logDir, err := os.MkdirTemp("", "hop-moto-")
	if err != nil {
		return nil, fmt.Errorf("testenv: creating moto's log directory: %w", err)
	}
	logPath := filepath.Join(logDir, "moto.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		os.RemoveAll(logDir)
		return nil, fmt.Errorf("testenv: creating moto's log: %w", err)
	}
	defer logFile.Close()

	cmd := exec.Command("moto_server", "-H", "127.0.0.1", "-p", "0")
	cmd.Env = append(os.Environ(), "MOTO_ACCOUNT_ID="+AccountID)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Its own process group, so Close takes down whatever the pyenv shim
	// starts; and killed with the test binary if that dies first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(logDir)
		return nil, fmt.Errorf("testenv: starting moto_server (is moto installed? pip install 'moto[server]'): %w", err)
	}
	m := &Moto{cmd: cmd, logDir: logDir, exited: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(m.exited)
	}()
	if m.URL, err = m.awaitListening(logPath); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

// awaitListening reads the URL moto prints once bound, then waits until it
// answers HTTP.
func (m *Moto) awaitListening(logPath string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), motoStartTimeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	url := ""
	for {
		select {
		case <-m.exited:
			out, _ := os.ReadFile(logPath)
			return "", fmt.Errorf("testenv: moto_server exited while starting:\n%s", out)
		case <-ctx.Done():
			out, _ := os.ReadFile(logPath)
			return "", fmt.Errorf("testenv: moto_server did not answer within %v:\n%s", motoStartTimeout, out)
		case <-tick.C:
		}
		if url == "" {
			out, _ := os.ReadFile(logPath)
			if match := motoListening.FindSubmatch(out); match != nil {
				url = string(match[1])
			}
			continue
		}
		if resp, err := http.Get(url + "/moto-api/"); err == nil {
			resp.Body.Close()
			return url, nil
		}
	}
}

// Close stops moto and removes its log.
func (m *Moto) Close() error {
	// SIGKILL: moto keeps nothing worth flushing, and the test must not
	// hang on a server that ignores SIGTERM.
	err := syscall.Kill(-m.cmd.Process.Pid, syscall.SIGKILL)
	<-m.exited
	os.RemoveAll(m.logDir)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// setAuth sets how many more requests moto serves before enforcing IAM
// authentication: "inf" turns it off, "0" on.
func (m *Moto) setAuth(count string) error {
	return m.post("/moto-api/reset-auth", count)
}

// reset drops all of moto's state.
func (m *Moto) reset() error {
	return m.post("/moto-api/reset", "")
}

func (m *Moto) post(path, body string) error {
	// text/plain: moto reads the raw body, which a form content type
	// would have parsed away.
	resp, err := http.Post(m.URL+path, "text/plain", bytes.NewBufferString(body))
	if err != nil {
		return fmt.Errorf("testenv: moto %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("testenv: moto %s answered %s", path, resp.Status)
	}
	return nil
}

// shared is the moto that Main starts for a whole test binary.
var shared *Moto

// Main runs a package's tests with one moto_server for all of them, which
// saves 1-2 s per test. Use it as the package's TestMain:
//
//	func TestMain(m *testing.M) { testenv.Main(m) }
//
// Without it, Start runs a moto_server per test.
func Main(m *testing.M) {
	moto, err := StartMoto()
	if err != nil {
		fmt.Fprintln(os.Stderr, strings.TrimSpace(err.Error()))
		os.Exit(1)
	}
	shared = moto
	code := m.Run()
	moto.Close()
	os.Exit(code)
}
