package fetch

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/internal/idc"
)

// lockedBuffer is a stderr the Fetcher's goroutines may share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// screen plays out on a terminal what the Fetcher wrote, as far as it uses
// the terminal: newlines, carriage returns and erase-to-end-of-line.
func screen(t *testing.T, out string) []string {
	t.Helper()
	lines := []string{""}
	col := 0
	for i := 0; i < len(out); i++ {
		row := &lines[len(lines)-1]
		switch {
		case out[i] == '\n':
			lines = append(lines, "")
			col = 0
		case out[i] == '\r':
			col = 0
		case strings.HasPrefix(out[i:], "\033[K"):
			*row = (*row)[:col]
			i += len("\033[K") - 1
		case out[i] < 0x20:
			t.Fatalf("stderr holds control byte %#x: %q", out[i], out)
		default:
			*row = (*row)[:col] + string(out[i]) + (*row)[min(col+1, len(*row)):]
			col++
		}
	}
	return lines
}

// TestSignInMessageErasesCountdown: with the countdown on a terminal, the
// message that follows it starts on a clean line, and no countdown is left
// on screen once the sign-in is over.
func TestSignInMessageErasesCountdown(t *testing.T) {
	emulator := idc.New(idc.Options{AutoApprove: true})
	if err := emulator.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer emulator.Close()
	home := t.TempDir()
	configPath := filepath.Join(home, "config")
	if err := os.WriteFile(configPath, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(configPath, "")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": home, "XDG_CACHE_HOME": filepath.Join(home, ".cache"), "AWS_ENDPOINT_URL_SSO_OIDC": emulator.URL()}
	var stderr lockedBuffer
	f := New(Options{
		Getenv:        func(k string) string { return env[k] },
		Stderr:        &stderr,
		UseDeviceCode: true,
		Progress:      true,
	})
	s := &config.SSOSettings{Session: "corp", StartURL: "https://corp.awsapps.com/start", Region: "us-east-1", Scopes: []string{"sso:account:access"}}
	if _, err := f.Login(t.Context(), cfg, "", s, true); err != nil {
		t.Fatalf("Login: %v\n%s", err, stderr.String())
	}
	out := stderr.String()
	if !strings.Contains(out, "waiting for the sign-in to be confirmed") {
		t.Fatalf("no countdown shown: %q", out)
	}
	lines := screen(t, out)
	want := []string{"hop: sign in to ", "hop: open ", "hop: signed in to ", ""}
	if len(lines) != len(want) {
		t.Fatalf("the screen reads %q, want lines starting %q (stderr %q)", lines, want, out)
	}
	for i, line := range lines {
		if !strings.HasPrefix(line, want[i]) || strings.Contains(line, "waiting") {
			t.Errorf("screen line %d reads %q, want it to start %q with no countdown (stderr %q)", i, line, want[i], out)
		}
	}
}
