package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/fetch"
)

// source hands out credentials lasting life from the test's clock, or
// fails with err; it counts its calls.
type source struct {
	clock *time.Time
	life  time.Duration
	err   error
	calls int
}

func (s *source) Credentials(ctx context.Context, c *creds.Chain) (*creds.Session, error) {
	s.calls++
	if s.err != nil {
		return nil, s.err
	}
	return session(*s.clock, s.life, fmt.Sprint("AKID", s.calls)), nil
}

func session(now time.Time, life time.Duration, akid string) *creds.Session {
	return &creds.Session{Profile: "p", AccountID: "123412341234", Credentials: creds.Credentials{
		AccessKeyID: akid, SecretAccessKey: "secret", SessionToken: "token", Expires: now.Add(life)}}
}

type harness struct {
	t      *testing.T
	srv    *Server
	src    *source
	clock  time.Time
	stderr strings.Builder
}

func start(t *testing.T, first time.Duration) *harness {
	return startWith(t, first, limits{})
}

// startWith starts a server whose limits are lim, the defaults when zero.
func startWith(t *testing.T, first time.Duration, lim limits) *harness {
	h := &harness{t: t, clock: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	h.src = &source{clock: &h.clock, life: time.Hour}
	srv, err := Start(Options{
		Chain: &creds.Chain{Profile: "p"}, Source: h.src, Session: session(h.clock, first, "AKID0"),
		Stderr: &h.stderr, Now: func() time.Time { return h.clock }, limits: lim,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	h.srv = srv
	return h
}

// ask makes a request the way an SDK does, through the loopback port.
func (h *harness) ask() (int, response) {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.srv.URI(), nil)
	req.Header.Set("Authorization", h.srv.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var r response
	json.NewDecoder(resp.Body).Decode(&r)
	return resp.StatusCode, r
}

func (h *harness) wantServed(step, akid string, calls int) {
	h.t.Helper()
	status, r := h.ask()
	if status != http.StatusOK || r.AccessKeyID != akid || h.src.calls != calls {
		h.t.Errorf("%s: status %d, %s after %d fetches; want 200, %s after %d", step, status, r.AccessKeyID, h.src.calls, akid, calls)
	}
}

func TestRefreshesAheadOfExpiry(t *testing.T) {
	h := start(t, time.Hour)
	h.wantServed("fresh", "AKID0", 0)
	h.clock = h.clock.Add(39 * time.Minute)
	h.wantServed("21 minutes left", "AKID0", 0)
	h.clock = h.clock.Add(2 * time.Minute)
	h.wantServed("19 minutes left", "AKID1", 1)
	h.wantServed("right after the refresh", "AKID1", 1)
	_, r := h.ask()
	if want := h.clock.Add(time.Hour).Format(time.RFC3339); r.Expiration != want {
		t.Errorf("Expiration %q, want %q (RFC 3339)", r.Expiration, want)
	}
}

func TestShortLivedSource(t *testing.T) {
	// A source whose credentials last 17 minutes: kept until 15 are left.
	h := start(t, 17*time.Minute)
	h.src.life = 17 * time.Minute
	h.wantServed("17 minutes left", "AKID0", 0)
	h.clock = h.clock.Add(2*time.Minute + time.Second)
	h.wantServed("under 15 left", "AKID1", 1)
	// Shorter than the SDKs' window: the freshest there are, each time.
	h.src.life = 14 * time.Minute
	h.clock = h.clock.Add(2*time.Minute + time.Second)
	h.wantServed("14-minute source", "AKID2", 2)
	h.wantServed("14-minute source again", "AKID3", 3)
}

func TestFailedRefresh(t *testing.T) {
	h := start(t, time.Hour)
	h.src.err = fmt.Errorf("the SSO session %w", fetch.ErrNeedsPerson)
	h.clock = h.clock.Add(41 * time.Minute)
	// 19 minutes left: still more than the SDKs need, so still served.
	h.wantServed("refresh failed, 19 minutes left", "AKID0", 1)
	h.clock = h.clock.Add(5 * time.Minute)
	for i := range 2 {
		if status, r := h.ask(); status != http.StatusServiceUnavailable || r.AccessKeyID != "" {
			t.Errorf("request %d with 14 minutes left and no refresh: status %d, %q; want 503 and no credentials", i, status, r.AccessKeyID)
		}
	}
	if lines := strings.Count(h.stderr.String(), "\n"); lines != 1 || !strings.Contains(h.stderr.String(), "never signs in") {
		t.Errorf("the terminal got %d lines, want one saying what to do:\n%s", lines, h.stderr.String())
	}
	h.src.err = nil
	h.wantServed("after the user signed in", "AKID4", 4)
	h.src.err = errors.New("network down")
	h.clock = h.clock.Add(41 * time.Minute)
	h.ask()
	if lines := strings.Count(h.stderr.String(), "\n"); lines != 2 {
		t.Errorf("a new failure after a success should be told once more; terminal:\n%s", h.stderr.String())
	}
}

func TestStaticKeysNeedNoServer(t *testing.T) {
	_, err := Start(Options{Chain: &creds.Chain{Profile: "p"}, Session: &creds.Session{Credentials: creds.Credentials{AccessKeyID: "AKID"}}})
	if err == nil || !strings.Contains(err.Error(), "without --server") {
		t.Errorf("Start with keys that never expire: %v", err)
	}
}

func TestTokenAndHostChecked(t *testing.T) {
	h := start(t, time.Hour)
	cases := map[string]func(*http.Request){
		"no token":     func(r *http.Request) {},
		"wrong token":  func(r *http.Request) { r.Header.Set("Authorization", h.srv.Token()[1:]+"0") },
		"foreign host": func(r *http.Request) { r.Header.Set("Authorization", h.srv.Token()); r.Host = "attacker.example" },
		"localhost": func(r *http.Request) {
			r.Header.Set("Authorization", h.srv.Token())
			r.Host = strings.Replace(h.srv.host, "127.0.0.1", "localhost", 1)
		},
		"bearer prefix": func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+h.srv.Token()) },
	}
	for name, edit := range cases {
		req, _ := http.NewRequest(http.MethodGet, h.srv.URI(), nil)
		edit(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var r response
		json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if (resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden) || r.AccessKeyID != "" {
			t.Errorf("%s: status %d, AccessKeyId %q; want 401 or 403 and nothing", name, resp.StatusCode, r.AccessKeyID)
		}
	}
}

// TestGoSDKReads has the Go SDK's own container-credentials client, a
// second parser besides botocore's (the e2e tests run the AWS CLI), read
// the server's answer and its refusal.
func TestGoSDKReads(t *testing.T) {
	h := start(t, time.Hour)
	got, err := endpointcreds.New(h.srv.URI(), func(o *endpointcreds.Options) { o.AuthorizationToken = h.srv.Token() }).Retrieve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessKeyID != "AKID0" || got.SecretAccessKey != "secret" || got.SessionToken != "token" || !got.CanExpire ||
		!got.Expires.Equal(h.clock.Add(time.Hour)) || got.AccountID != "123412341234" {
		t.Errorf("the Go SDK read %+v", got)
	}
	h.src.err = fmt.Errorf("the SSO session %w", fetch.ErrNeedsPerson)
	h.clock = h.clock.Add(50 * time.Minute)
	_, err = endpointcreds.New(h.srv.URI(), func(o *endpointcreds.Options) { o.AuthorizationToken = h.srv.Token() }).Retrieve(t.Context())
	if err == nil || !strings.Contains(err.Error(), "needs a person") {
		t.Errorf("the Go SDK, when a refresh needs a person: %v", err)
	}
}

// TestFloodWithoutToken holds a few hundred connections that never send
// the token, against a lowered cap: half send nothing, half one request,
// refused, and then stay idle. The child's request is still served, the
// server holds no more than the cap, every connection is closed by the
// server (for room, or after the read or idle timeout), and the terminal
// gets nothing.
func TestFloodWithoutToken(t *testing.T) {
	const capped = 32
	h := startWith(t, time.Hour, limits{readTimeout: time.Second, idleTimeout: time.Second, maxConns: capped})
	var flood []net.Conn
	for i := range 300 {
		c, err := net.Dial("tcp", h.srv.host)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if i%2 == 1 {
			fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s\r\n\r\n", h.srv.host)
		}
		flood = append(flood, c)
	}
	h.wantServed("amid the flood", "AKID0", 0)
	h.srv.conns.mu.Lock()
	held := len(h.srv.conns.open)
	h.srv.conns.mu.Unlock()
	if held > capped {
		t.Errorf("the server holds %d connections, over the cap of %d", held, capped)
	}
	for i, c := range flood {
		// The bound only keeps a connection left open from hanging the
		// test.
		c.SetReadDeadline(time.Now().Add(time.Minute))
		if _, err := io.Copy(io.Discard, c); errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("connection %d without the token is still open after a minute", i)
		}
	}
	if h.stderr.Len() != 0 {
		t.Errorf("the terminal got:\n%s", h.stderr.String())
	}
}
