package testenv

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// motoStartTimeout bounds moto_server's start; it takes 1-2 s on an idle
// machine, much more on a loaded CI runner.
const motoStartTimeout = 60 * time.Second

// motoLogLines is how much of moto's output is kept to explain a failure.
const motoLogLines = 40

var motoListening = regexp.MustCompile(`Running on (http://127\.0\.0\.1:\d+)`)

// Moto is a running moto_server on 127.0.0.1. One Env uses it at a time.
type Moto struct {
	// URL reaches moto directly, bypassing any Env's counting proxy.
	URL string

	cmd    *exec.Cmd
	exited chan struct{}
	inUse  sync.Mutex

	logMu sync.Mutex
	log   []string // the last motoLogLines lines moto printed
}

// StartMoto starts moto_server (from PATH) on a free 127.0.0.1 port, with
// IAM authentication off until an Env seeds it, and waits until it answers.
func StartMoto() (*Moto, error) {
	cmd := exec.Command("moto_server", "-H", "127.0.0.1", "-p", "0")
	cmd.Env = append(os.Environ(), "MOTO_ACCOUNT_ID="+AccountID)
	cmd.SysProcAttr = motoProcAttr()
	out, err := cmd.StderrPipe()
	if err != nil {
		return nil, fmt.Errorf("testenv: moto_server's output: %w", err)
	}
	cmd.Stdout = cmd.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("testenv: starting moto_server (is moto installed? pip install 'moto[server]'): %w", err)
	}
	m := &Moto{cmd: cmd, exited: make(chan struct{})}
	listening := make(chan string, 1)
	go m.follow(out, listening)
	if m.URL, err = m.awaitListening(listening); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

// follow reads moto's output to its end, which moto must be able to write
// to keep serving, passes on the URL it announces, and then reaps it.
func (m *Moto) follow(out io.Reader, listening chan<- string) {
	r := bufio.NewReader(out)
	for {
		line, err := r.ReadString('\n')
		if match := motoListening.FindStringSubmatch(line); match != nil {
			select {
			case listening <- match[1]:
			default:
			}
		}
		m.logMu.Lock()
		m.log = append(m.log, line)
		m.log = m.log[max(0, len(m.log)-motoLogLines):]
		m.logMu.Unlock()
		if err != nil {
			break
		}
	}
	_ = m.cmd.Wait()
	close(m.exited)
}

// output is the tail of what moto printed.
func (m *Moto) output() string {
	m.logMu.Lock()
	defer m.logMu.Unlock()
	return strings.Join(m.log, "")
}

// awaitListening waits for the URL moto announces once bound, then until
// it answers HTTP.
func (m *Moto) awaitListening(listening <-chan string) (string, error) {
	timeout := time.NewTimer(motoStartTimeout)
	defer timeout.Stop()
	url := ""
	for {
		select {
		case <-m.exited:
			return "", fmt.Errorf("testenv: moto_server exited while starting:\n%s", m.output())
		case <-timeout.C:
			return "", fmt.Errorf("testenv: moto_server did not answer within %v:\n%s", motoStartTimeout, m.output())
		case url = <-listening:
			continue
		case <-time.After(50 * time.Millisecond):
		}
		if url == "" {
			continue
		}
		if resp, err := http.Get(url + "/moto-api/"); err == nil {
			resp.Body.Close()
			return url, nil
		}
	}
}

// Close stops moto.
func (m *Moto) Close() error {
	err := killMoto(m.cmd.Process)
	<-m.exited
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
	code := Run(m)
	moto.Close()
	os.Exit(code)
}
