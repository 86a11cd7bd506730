// Package faultproxy counts requests per AWS operation and makes chosen
// requests fail, so end-to-end tests can assert "exactly one AssumeRole" or
// "no network call at all" and exercise error paths against real servers.
//
// It works two ways: as a reverse proxy in front of a server such as moto
// (Start), or as middleware around any handler (Injector.Wrap), which is how
// the Identity Center emulator gets the same knobs.
package faultproxy

import (
	"maps"
	"net/http"
	"sync"
	"time"
)

// AnyOperation in Inject matches requests of every operation. Faults planned
// for a specific operation are used before these.
const AnyOperation = "*"

// Fault is what a matching request gets instead of a normal answer.
type Fault struct {
	// Status is the HTTP status to answer with; 0 passes the request
	// through to the real handler (useful with Delay alone).
	Status int
	Header http.Header
	Body   []byte
	// Delay is waited before answering or passing through. It ends early
	// if the client goes away.
	Delay time.Duration
	// Drop closes the connection without any response, after Delay.
	Drop bool
	// LoseReply passes the request to the real handler, then closes the
	// connection without its answer: the server acted, and the client
	// cannot tell whether it did.
	LoseReply bool
}

type plan struct {
	fault Fault
	left  int
}

// Injector counts requests by operation and hands out planned faults. The
// zero value is not usable; use NewInjector. Safe for concurrent use.
type Injector struct {
	mu     sync.Mutex
	counts map[string]int
	plans  map[string][]*plan
}

// NewInjector returns an Injector with no counts and no faults planned.
func NewInjector() *Injector {
	return &Injector{counts: map[string]int{}, plans: map[string][]*plan{}}
}

// Inject makes the next n requests of operation op (or of any operation, for
// AnyOperation) get f. Plans for the same operation queue up in order.
func (in *Injector) Inject(op string, n int, f Fault) {
	if n <= 0 {
		return
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.plans[op] = append(in.plans[op], &plan{fault: f, left: n})
}

// Count reports how many requests of operation op were seen, faulted or not.
func (in *Injector) Count(op string) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.counts[op]
}

// Counts returns a copy of all counts by operation.
func (in *Injector) Counts() map[string]int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return maps.Clone(in.counts)
}

// Total reports how many requests were seen across all operations.
func (in *Injector) Total() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	n := 0
	for _, c := range in.counts {
		n += c
	}
	return n
}

// Reset forgets all counts and any faults not yet used.
func (in *Injector) Reset() {
	in.mu.Lock()
	defer in.mu.Unlock()
	clear(in.counts)
	clear(in.plans)
}

// record counts one request of op and takes the fault planned for it, if any.
func (in *Injector) record(op string) (Fault, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.counts[op]++
	for _, key := range []string{op, AnyOperation} {
		queue := in.plans[key]
		if len(queue) == 0 {
			continue
		}
		p := queue[0]
		if p.left--; p.left == 0 {
			in.plans[key] = queue[1:]
		}
		return p.fault, true
	}
	return Fault{}, false
}

// Wrap returns a handler that names each request with operation, counts it,
// and answers it with a planned fault or passes it to next.
func (in *Injector) Wrap(operation func(*http.Request) string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, planned := in.record(operation(r))
		if !planned {
			next.ServeHTTP(w, r)
			return
		}
		if f.Delay > 0 {
			t := time.NewTimer(f.Delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		switch {
		case f.Drop:
			// The server closes the connection without writing anything.
			panic(http.ErrAbortHandler)
		case f.LoseReply:
			next.ServeHTTP(discard{header: http.Header{}}, r)
			panic(http.ErrAbortHandler)
		case f.Status == 0:
			next.ServeHTTP(w, r)
		default:
			maps.Copy(w.Header(), f.Header)
			w.WriteHeader(f.Status)
			_, _ = w.Write(f.Body)
		}
	})
}

// discard is a ResponseWriter that keeps nothing: the answer LoseReply
// throws away.
type discard struct{ header http.Header }

func (d discard) Header() http.Header         { return d.header }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}
