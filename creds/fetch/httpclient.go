package fetch

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// MaxResponseBody bounds every answer hop reads over HTTP. STS, SSO, OIDC
// and federation answers are a few kilobytes; an endpoint that streams
// without end would otherwise grow hop by gigabytes a second.
const MaxResponseBody = 1 << 20

// ResponseTooLargeError: an endpoint's answer went past MaxResponseBody.
type ResponseTooLargeError struct {
	Host string
}

func (e *ResponseTooLargeError) Error() string {
	return fmt.Sprintf("the answer from %s is larger than %d MiB, far more than any AWS answer; hop stopped reading: check the endpoint configured for it (AWS_ENDPOINT_URL*, endpoint_url, any proxy)", e.Host, MaxResponseBody>>20)
}

// NewHTTPClient is the client for every request hop makes: it fails a
// dead endpoint in seconds rather than minutes, and reads at most
// MaxResponseBody of any answer.
func NewHTTPClient() *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: boundedTransport{&http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 10 * time.Second,
			MaxIdleConnsPerHost:   2,
		}},
	}
}

// boundedTransport caps each response body at the transport, so no
// reader of it (the SDK's decoders included) can read past the bound.
type boundedTransport struct {
	http.RoundTripper
}

func (t boundedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.RoundTripper.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	resp.Body = &boundedBody{ReadCloser: resp.Body, left: MaxResponseBody, host: req.URL.Host}
	return resp, nil
}

type boundedBody struct {
	io.ReadCloser
	left int64
	host string
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if b.left == 0 {
		// At the bound: an answer that ends here is whole.
		var one [1]byte
		if n, err := b.ReadCloser.Read(one[:]); n == 0 {
			return 0, err
		}
		return 0, &ResponseTooLargeError{Host: b.host}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
