package faultproxy

import (
	"net/http"
	"strings"
	"sync"
)

// Call is one request as the proxy saw it: the operation, the access key
// that signed it (from SigV4's Credential=), and the MFA parameters of an
// STS call. Tests read these to show who signed what, where the server
// behind the proxy cannot tell them (moto does not recognise the
// credentials GetSessionToken returns).
type Call struct {
	Operation    string
	AccessKeyID  string
	SerialNumber string
	TokenCode    string
}

// recorder keeps every Call in arrival order.
type recorder struct {
	mu    sync.Mutex
	calls []Call
}

// wrap records each request, then hands it to next with its body intact.
func (rec *recorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := Call{Operation: Operation(r), AccessKeyID: signingKey(r.Header.Get("Authorization"))}
		if form := queryForm(r); form != nil {
			c.SerialNumber, c.TokenCode = form.Get("SerialNumber"), form.Get("TokenCode")
		}
		rec.mu.Lock()
		rec.calls = append(rec.calls, c)
		rec.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// Calls returns the requests seen since the start or the last Reset.
func (p *Proxy) Calls() []Call {
	p.rec.mu.Lock()
	defer p.rec.mu.Unlock()
	return append([]Call(nil), p.rec.calls...)
}

// Reset forgets counts, calls and any faults not yet used.
func (p *Proxy) Reset() {
	p.Injector.Reset()
	p.rec.mu.Lock()
	p.rec.calls = nil
	p.rec.mu.Unlock()
}

// signingKey extracts the access key ID from
// "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/sts/aws4_request, ...".
func signingKey(authorization string) string {
	_, cred, ok := strings.Cut(authorization, "Credential=")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(cred, "/")
	return id
}
