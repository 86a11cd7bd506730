package doctor

import (
	"strings"
	"testing"
)

// TestNetworkVarsHidePasswords: a proxy's password is never shown, and a
// value that cannot work is named.
func TestNetworkVarsHidePasswords(t *testing.T) {
	for _, c := range []struct {
		name, value, shown string
		bad                bool
	}{
		{"HTTPS_PROXY", "http://alice:s3cret@proxy:3128", "http://alice:xxxxx@proxy:3128", false},
		{"https_proxy", "http://alice:s3cret@proxy:3128/%zz", "(not a URL)", true},
		{"NO_PROXY", "localhost,.internal", "localhost,.internal", false},
		{"AWS_ENDPOINT_URL_STS", "http://127.0.0.1:4566", "http://127.0.0.1:4566", false},
		{"AWS_ENDPOINT_URL", "localhost:4566", "localhost:4566", true},
		{"AWS_CA_BUNDLE", "/nonexistent/ca.pem", "/nonexistent/ca.pem", true},
	} {
		shown, err := checkNetworkVar(c.name, c.value)
		if shown != c.shown || (err != nil) != c.bad || strings.Contains(shown, "s3cret") {
			t.Errorf("%s=%s: shown %q, error %v; want %q, bad %v", c.name, c.value, shown, err, c.shown, c.bad)
		}
	}
}

// TestSTSEndpoint: the endpoint variables first, then the region's.
func TestSTSEndpoint(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "https://sts.amazonaws.com"},
		{map[string]string{"AWS_REGION": "eu-west-1"}, "https://sts.eu-west-1.amazonaws.com"},
		{map[string]string{"AWS_ENDPOINT_URL": "http://x/", "AWS_REGION": "eu-west-1"}, "http://x"},
		{map[string]string{"AWS_ENDPOINT_URL": "http://x", "AWS_ENDPOINT_URL_STS": "http://sts"}, "http://sts"},
		{map[string]string{"AWS_ENDPOINT_URL": "http://x", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, "https://sts.amazonaws.com"},
	} {
		if got := stsEndpoint(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("%v: %s, want %s", c.env, got, c.want)
		}
	}
}
