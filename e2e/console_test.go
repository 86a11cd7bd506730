//go:build e2e

package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

func TestConsole(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, "[profile keys]\naws_access_key_id = "+e.Assumer.AccessKeyID+"\naws_secret_access_key = "+e.Assumer.SecretAccessKey+"\n")
	env := append(e.Environ(), "AWS_ENDPOINT_URL_SIGNIN="+e.IDC.URL())
	r := hop(t, env, "console", "requires3", "--service", "s3", "--print")
	if r.code != 0 {
		t.Fatalf("hop console: %s", r.stderr)
	}
	url := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(url, e.IDC.URL()+"/federation?") || !strings.Contains(url, "Action=login") {
		t.Fatalf("sign-in URL %q", url)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got, want := resp.Header.Get("Location"), "https://console.aws.amazon.com/s3/home?region="+testenv.Region; got != want {
		t.Errorf("the sign-in lands on %q, want %q", got, want)
	}
	if e.IDC.Count(idc.OpGetSigninToken) != 1 {
		t.Errorf("getSigninToken called %d times", e.IDC.Count(idc.OpGetSigninToken))
	}
	r = hop(t, env, "console", "keys", "--print")
	if r.code == 0 || !strings.Contains(r.stderr, "temporary credentials") {
		t.Errorf("console with long-term keys: exit %d, stderr %q", r.code, r.stderr)
	}
}
