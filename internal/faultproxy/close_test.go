package faultproxy_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/faultproxy"
)

// TestCloseWaitsForTheTarget: a request the client gave up on while the
// target was answering is seen through to its end, and Close returns only
// then, so a test sharing the target (moto) can reset it without a
// request of the previous test landing in the new world.
func TestCloseWaitsForTheTarget(t *testing.T) {
	arrived, cancelled := make(chan struct{}), make(chan struct{})
	release := make(chan struct{})
	var releaseOnce sync.Once
	var answered atomic.Bool
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		select {
		case <-release:
			answered.Store(true)
			io.WriteString(w, "made")
		case <-r.Context().Done():
			close(cancelled)
		}
	}))
	defer target.Close()
	defer releaseOnce.Do(func() { close(release) })

	p, err := faultproxy.Start(target.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL()+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	gone := make(chan struct{})
	go func() {
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
		close(gone)
	}()
	<-arrived
	cancel()
	<-gone

	closed := make(chan struct{})
	go func() {
		p.Close()
		close(closed)
	}()
	// Neither can happen before the target is released; the timer only
	// bounds how long the test looks for them.
	select {
	case <-closed:
		t.Fatal("Close returned while the target was still answering a request the proxy passed on")
	case <-cancelled:
		t.Fatal("the proxy abandoned a request the target had begun")
	case <-time.After(2 * time.Second):
	}
	releaseOnce.Do(func() { close(release) })
	<-closed
	if !answered.Load() {
		t.Error("Close returned before the target answered")
	}
}
