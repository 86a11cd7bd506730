package console

import (
	"net/http"
	"strings"
	"testing"
)

// TestSigninURLErrorsHoldNoKeys: the federation request carries the
// session's keys in its query; no error may quote it, whatever the
// endpoint.
func TestSigninURLErrorsHoldNoKeys(t *testing.T) {
	const key, token = "SECRETKEYsecretkey", "TOKENtokenTOKEN"
	for _, endpoint := range []string{"http://bad host", "http://[::1", "http://127.0.0.1:99999", "ftp://127.0.0.1", "%zz", "127.0.0.1:1"} {
		_, err := SigninURL(t.Context(), http.DefaultClient, Request{
			AccessKeyID: "ASIAKEY", SecretAccessKey: key, SessionToken: token, Federation: endpoint,
		})
		if err == nil {
			t.Errorf("%s: no error", endpoint)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, key) || strings.Contains(msg, token) || strings.Contains(msg, "Session=") {
			t.Errorf("%s: the error quotes the request: %s", endpoint, msg)
		}
	}
}
