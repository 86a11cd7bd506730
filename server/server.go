// Package server serves one profile's credentials to a child process over
// the container-credentials protocol that every AWS SDK and the AWS CLI
// already speak (AWS_CONTAINER_CREDENTIALS_FULL_URI with
// AWS_CONTAINER_AUTHORIZATION_TOKEN), so a long-running child refreshes its
// credentials from hop instead of dying with them.
//
// It refreshes through hop's session cache and its lock, so a server and
// any other hop process fetch once between them, and it never starts a
// sign-in: when a refresh needs a person, the request fails at once and
// the terminal gets one line saying what to run.
package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/export"
	"github.com/hop-cli/hop/untrusted"
)

const (
	// Least is the shortest life the credentials handed out have left.
	// botocore and the AWS CLI start refreshing 15 minutes before expiry
	// (and insist at 10), the Go SDK at 5: less would have them ask again
	// at once, or fail.
	Least = 15 * time.Minute
	// Ahead is how long before expiry the server replaces its credentials,
	// leaving room over Least for a refresh that takes a while.
	Ahead = 20 * time.Minute
	// refreshTimeout bounds a refresh, waiting for another hop process's
	// lock included: a child's request never hangs for minutes.
	refreshTimeout = 20 * time.Second
	// readTimeout bounds how long a connection may take to send a whole
	// request, headers first: an SDK sends its GET at once, and any local
	// user can connect and send nothing.
	readTimeout = 10 * time.Second
	// idleTimeout closes a kept-alive connection between requests: a
	// child asks again at the next refresh, many minutes later, when a new
	// connection costs less than one held open meanwhile.
	idleTimeout = 10 * time.Second
	// maxConns caps the connections open at once, each a descriptor and
	// some memory: any local user can open them without the token, and
	// 21,000 took hop to its descriptor limit, where it could accept
	// nothing more, the child's request included. A child with many SDK
	// clients asking at once stays well under it. At the cap, a new
	// connection closes the oldest one not in an authorised request.
	maxConns = 128
)

// Source fetches a chain's credentials without asking anyone anything; a
// fetch.Fetcher made Unattended is one.
type Source interface {
	Credentials(ctx context.Context, c *creds.Chain) (*creds.Session, error)
}

// Options configure a Server.
type Options struct {
	Chain  *creds.Chain
	Source Source
	// Session is what the server hands out first: the credentials hop
	// fetched, interactively, before starting the child.
	Session *creds.Session
	// Stderr is the terminal, for the one line a failed refresh prints.
	Stderr io.Writer
	// Now is the clock; time.Now when nil.
	Now func() time.Time

	// limits replace the constants above when set (tests).
	limits limits
}

// limits bound what connections may cost.
type limits struct {
	readTimeout, idleTimeout time.Duration
	maxConns                 int
}

// Server is a running endpoint. Close it when the child exits.
type Server struct {
	opts  Options
	host  string // 127.0.0.1:PORT, what a request's Host must be
	path  string
	token string
	http  *http.Server
	conns *conns

	mu  sync.Mutex
	cur *creds.Session
	// refreshAt is when cur stops being handed out without a refresh.
	refreshAt time.Time
	// reported is set while a failure has been told on the terminal, so a
	// child retrying does not fill it.
	reported bool
}

// Start listens on a random loopback port. The credentials must expire:
// static keys need no server.
func Start(opts Options) (*Server, error) {
	if opts.Session.Credentials.Expires.IsZero() {
		return nil, fmt.Errorf("profile %s has long-term keys that never expire; run 'hop exec' without --server", opts.Chain.Profile)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("starting the credential server on 127.0.0.1: %w", err)
	}
	lim := opts.limits
	if lim == (limits{}) {
		lim = limits{readTimeout: readTimeout, idleTimeout: idleTimeout, maxConns: maxConns}
	}
	s := &Server{opts: opts, host: ln.Addr().String(), path: "/" + randomHex(16), token: randomHex(32),
		conns: &conns{max: lim.maxConns, open: map[net.Conn]*openConn{}}}
	s.set(opts.Session, opts.Now())
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: lim.readTimeout,
		ReadTimeout:       lim.readTimeout,
		IdleTimeout:       lim.idleTimeout,
		ConnState:         s.conns.changed,
		ConnContext:       func(ctx context.Context, c net.Conn) context.Context { return context.WithValue(ctx, connKey{}, c) },
		// What net/http says of a connection (a failed accept, a bad
		// request) is nothing the user can act on: any local process can
		// cause it, and it would fill the terminal.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go s.http.Serve(cappedListener{ln, s.conns}) // returns http.ErrServerClosed once Close runs
	return s, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand aborts the program instead)
	return hex.EncodeToString(b)
}

// URI is the value for AWS_CONTAINER_CREDENTIALS_FULL_URI.
func (s *Server) URI() string { return "http://" + s.host + s.path }

// Token is the value for AWS_CONTAINER_AUTHORIZATION_TOKEN: 256 random bits.
func (s *Server) Token() string { return s.token }

// Close stops listening and ends any request in flight.
func (s *Server) Close() error { return s.http.Close() }

// response is the container-credentials document. botocore needs Token and
// Expiration besides the keys.
type response struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	Token           string `json:"Token"`
	Expiration      string `json:"Expiration"`
	AccountID       string `json:"AccountId,omitempty"`
}

// failure is the error document the Go SDK's endpoint provider parses.
type failure struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// A browser tricked into calling a rebound name would send that name:
	// only the address hop put in the URI is accepted.
	if r.Host != s.host {
		writeJSON(w, http.StatusForbidden, failure{"Forbidden", "wrong Host"})
		return
	}
	got := r.Header.Get("Authorization")
	if got == "" {
		writeJSON(w, http.StatusUnauthorized, failure{"Unauthorized", "no authorization token"})
		return
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) != 1 {
		writeJSON(w, http.StatusForbidden, failure{"Forbidden", "wrong authorization token"})
		return
	}
	if r.URL.Path != s.path || r.Method != http.MethodGet {
		writeJSON(w, http.StatusNotFound, failure{"NotFound", "no such resource"})
		return
	}
	if c, ok := r.Context().Value(connKey{}).(net.Conn); ok {
		defer s.conns.hold(c)()
	}
	sess, err := s.credentials(r.Context())
	if err != nil {
		// The child's SDK may print this: config values in it are data.
		writeJSON(w, http.StatusServiceUnavailable, failure{"CredentialsUnavailable", untrusted.Text(err.Error())})
		return
	}
	c := sess.Credentials
	writeJSON(w, http.StatusOK, response{
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, Token: c.SessionToken,
		Expiration: c.Expires.UTC().Format(time.RFC3339), AccountID: sess.AccountID,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// credentials returns the session to hand out, refreshing it first when it
// is due. Requests wait for one refresh rather than each starting one.
func (s *Server) credentials(ctx context.Context) (*creds.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	if now.Before(s.refreshAt) {
		return s.cur, nil
	}
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	sess, err := s.opts.Source.Credentials(ctx, s.opts.Chain)
	if err != nil {
		s.report(err)
		if s.cur.Credentials.Expires.Sub(now) >= Least {
			// Still good for the SDKs; the next request tries again.
			return s.cur, nil
		}
		return nil, fmt.Errorf("hop could not refresh the credentials for profile %s: %w", s.opts.Chain.Profile, err)
	}
	s.reported = false
	s.set(sess, now)
	return s.cur, nil
}

// set makes sess the one handed out, until Ahead before it expires. From a
// source whose credentials are shorter-lived than that (a role with a short
// duration_seconds), until Least before; shorter still, and they are the
// freshest there are: the SDKs will ask at every call, and each request
// asks the source again.
func (s *Server) set(sess *creds.Session, now time.Time) {
	s.cur = sess
	exp := sess.Credentials.Expires
	switch left := exp.Sub(now); {
	case left > Ahead:
		s.refreshAt = exp.Add(-Ahead)
	case left > Least:
		s.refreshAt = exp.Add(-Least)
	default:
		s.refreshAt = now
	}
}

// report prints one line on the terminal for a run of failed refreshes.
func (s *Server) report(err error) {
	if s.reported {
		return
	}
	s.reported = true
	then := "the next request retries"
	if errors.Is(err, fetch.ErrNeedsPerson) {
		// Clearing first makes the exec fetch afresh: the cache may still
		// hold credentials too short for the server but fine for an exec.
		p := s.opts.Chain.Profile
		then = "the server never signs in or asks for a code itself: run '" + export.CommandLine("bash", "hop", "clear", p) +
			" && " + export.CommandLine("bash", "hop", "exec", p, "--", "true") + "' in another terminal, and the child's next request succeeds"
	}
	fmt.Fprintln(s.opts.Stderr, untrusted.Text(fmt.Sprintf("hop: warning: refreshing the credentials for profile %s failed: %v; %s", s.opts.Chain.Profile, err, then)))
}

// connKey finds a request's connection in its context.
type connKey struct{}

// conns are the connections open, for maxConns.
type conns struct {
	max int

	mu   sync.Mutex
	open map[net.Conn]*openConn
	seq  uint64
}

type openConn struct {
	// seq orders the connections by when they were accepted.
	seq uint64
	// serving counts the authorised requests in progress on it.
	serving int
}

// cappedListener keeps conns' count: at the cap, each connection it
// accepts closes the oldest one open that no authorised request is using.
// A flood without the token then replaces itself, and the child, which
// has it, is still served.
type cappedListener struct {
	net.Listener
	conns *conns
}

func (l cappedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if old := l.conns.add(c); old != nil {
		old.Close()
	}
	return c, nil
}

// add counts c, and returns the connection to close for it, if any.
func (cs *conns) add(c net.Conn) net.Conn {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	var oldest net.Conn
	if len(cs.open) >= cs.max {
		for o, st := range cs.open {
			if st.serving == 0 && (oldest == nil || st.seq < cs.open[oldest].seq) {
				oldest = o
			}
		}
		if oldest != nil {
			delete(cs.open, oldest)
		}
	}
	cs.seq++
	cs.open[c] = &openConn{seq: cs.seq}
	return oldest
}

// changed is the http.Server's ConnState: a connection closed is no
// longer counted.
func (cs *conns) changed(c net.Conn, state http.ConnState) {
	if state == http.StateClosed || state == http.StateHijacked {
		cs.mu.Lock()
		delete(cs.open, c)
		cs.mu.Unlock()
	}
}

// hold marks c as in an authorised request until the returned func runs.
func (cs *conns) hold(c net.Conn) func() {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	st, ok := cs.open[c]
	if !ok {
		return func() {}
	}
	st.serving++
	return func() {
		cs.mu.Lock()
		st.serving--
		cs.mu.Unlock()
	}
}
