package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	ssooidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
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
	cfg, err := config.Load(path, "")
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

// TestTaintedAnswersAreNotQuoted: an endpoint that echoes the request in
// its refusal. A call whose body carries a secret (OIDC CreateToken's
// client secret, device code and refresh token) is refused without a
// word of the answer, in the error and under --debug; a call signed with
// a long-term key alone carries none, and its refusal is quoted.
func TestTaintedAnswersAreNotQuoted(t *testing.T) {
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>echo %s</Message></Error></ErrorResponse>", html.EscapeString(string(body)))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"__type": "InvalidGrantException", "code": "InvalidGrantException", "message": "echo " + string(body)})
	}))
	defer echo.Close()
	path := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(path, []byte("[profile keys]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, "")
	if err != nil {
		t.Fatal(err)
	}
	chain, err := creds.Resolve(cfg, "keys")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"AWS_ENDPOINT_URL": echo.URL, "HOME": t.TempDir()}
	var debug strings.Builder
	f := New(Options{Getenv: func(k string) string { return env[k] }, Debugf: func(format string, args ...any) { fmt.Fprintf(&debug, format+"\n", args...) }})
	f.chain = chain

	const secret = "clientSECRETrefreshTOKEN0123456789"
	_, err = f.oidcClient(&config.SSOSettings{Region: "us-east-1"}).CreateToken(t.Context(), &ssooidc.CreateTokenInput{
		ClientId: aws.String("client"), ClientSecret: aws.String(secret), GrantType: aws.String("refresh_token"), RefreshToken: aws.String(secret),
	})
	var tainted *TaintedError
	if !errors.As(err, &tainted) {
		t.Fatalf("CreateToken's refusal is not tainted: %v", err)
	}
	var grant *ssooidctypes.InvalidGrantException
	if !errors.As(err, &grant) {
		t.Errorf("the SDK's error is out of errors.As's reach: %v", err)
	}
	msg := f.brief(err).Error()
	for where, text := range map[string]string{"the error": err.Error(), "brief": msg, "--debug": debug.String()} {
		if strings.Contains(text, secret) || strings.Contains(text, "echo") {
			t.Errorf("%s quotes the answer: %q", where, text)
		}
	}
	if !strings.Contains(msg, "HTTP 400 InvalidGrantException") {
		t.Errorf("brief %q does not give the status and code", msg)
	}

	// Signed with the long-term key alone: nothing secret went out.
	_, err = f.stsClient(f.sourceProvider(&chain.Hops[0])).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if errors.As(err, &tainted) || !strings.Contains(f.brief(err).Error(), "echo") {
		t.Errorf("a refusal of a call that carried no secret is not quoted: %v", err)
	}
}
