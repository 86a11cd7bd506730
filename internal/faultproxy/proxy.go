package faultproxy

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
)

// Proxy is a counting, fault-injecting reverse proxy on 127.0.0.1. Its
// Injector methods count and plan faults by Operation.
type Proxy struct {
	*Injector
	rec    recorder
	url    string
	server *http.Server
	done   chan struct{}

	// forwards counts the requests still being answered; Close waits for
	// them, so none reaches the target after the proxy is gone.
	mu       sync.Mutex
	idle     *sync.Cond
	forwards int
	closed   bool
}

// Start serves a reverse proxy to target (a base URL such as
// "http://127.0.0.1:5000") on a free 127.0.0.1 port. Close it when done.
func Start(target string) (*Proxy, error) {
	u, err := url.Parse(target)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("faultproxy: target %q is not a base URL like http://127.0.0.1:5000", target)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultproxy: listening on 127.0.0.1: %w", err)
	}
	upstream := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(u)
			// SigV4 signs the Host header: the target must see the host
			// the client signed, not its own.
			r.Out.Host = r.In.Host
			// A request the target has begun runs to its end there even
			// if the client goes, so the proxy waits for the answer rather
			// than leave the target working on it after Close.
			r.Out = r.Out.WithContext(context.WithoutCancel(r.In.Context()))
		},
	}
	p := &Proxy{
		Injector: NewInjector(),
		url:      "http://" + ln.Addr().String(),
		done:     make(chan struct{}),
	}
	p.idle = sync.NewCond(&p.mu)
	p.server = &http.Server{Handler: p.track(p.rec.wrap(p.Wrap(Operation, upstream)))}
	go func() {
		defer close(p.done)
		if err := p.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("faultproxy: serving: %v", err)
		}
	}()
	return p, nil
}

// URL is the proxy's base URL, for AWS_ENDPOINT_URL.
func (p *Proxy) URL() string { return p.url }

// track counts next's requests in forwards, and refuses any that begins
// once Close has.
func (p *Proxy) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			panic(http.ErrAbortHandler)
		}
		p.forwards++
		p.mu.Unlock()
		defer func() {
			p.mu.Lock()
			if p.forwards--; p.forwards == 0 {
				p.idle.Broadcast()
			}
			p.mu.Unlock()
		}()
		next.ServeHTTP(w, r)
	})
}

// Close stops the proxy, drops any open connections, and returns once the
// target has answered every request the proxy passed on: a test sharing
// the target can reset it then without a request of this one landing
// after the reset.
func (p *Proxy) Close() error {
	err := p.server.Close()
	<-p.done
	p.mu.Lock()
	p.closed = true
	for p.forwards > 0 {
		p.idle.Wait()
	}
	p.mu.Unlock()
	return err
}
