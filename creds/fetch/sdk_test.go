package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/creds"
)

// TestHungEndpointFailsInSeconds: a server that takes requests and never
// answers fails the fetch at the operation deadline, retries included,
// not after every attempt's own timeout.
func TestHungEndpointFailsInSeconds(t *testing.T) {
	stop := make(chan struct{})
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-stop
	}))
	defer hung.Close()
	defer close(stop)
	path := filepath.Join(t.TempDir(), "config")
	writeErr := os.WriteFile(path, []byte(`
[profile keys]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret

[profile role]
role_arn = arn:aws:iam::123412341234:role/R
source_profile = keys
`), 0o600)
	if writeErr != nil {
		t.Fatal(writeErr)
	}
	cfg, err := creds.LoadConfig(path, "")
	if err != nil {
		t.Fatal(err)
	}
	chain, err := creds.Resolve(cfg, "role")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"AWS_ENDPOINT_URL_STS": hung.URL, "XDG_CACHE_HOME": t.TempDir(), "HOME": t.TempDir()}
	f := New(Options{Getenv: func(k string) string { return env[k] }})
	f.opTimeout = 300 * time.Millisecond

	_, err = f.Credentials(t.Context(), chain)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Credentials = %v, want the operation deadline", err)
	}
	for _, want := range []string{"profile role:", "no answer within 300ms", "check the network"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
