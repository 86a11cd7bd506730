package faultproxy

import (
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
)

// Proxy is a counting, fault-injecting reverse proxy on 127.0.0.1. Its
// Injector methods count and plan faults by Operation.
type Proxy struct {
	*Injector
	rec    recorder
	url    string
	server *http.Server
	done   chan struct{}
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
		},
	}
	p := &Proxy{
		Injector: NewInjector(),
		url:      "http://" + ln.Addr().String(),
		done:     make(chan struct{}),
	}
	p.server = &http.Server{Handler: p.rec.wrap(p.Wrap(Operation, upstream))}
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

// Close stops the proxy and drops any open connections.
func (p *Proxy) Close() error {
	err := p.server.Close()
	<-p.done
	return err
}
