package idc_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"

	"github.com/hop-cli/hop/internal/idc"
)

// The AWS CLI registers the callback without a port and listens on
// whichever port it gets.
const (
	registeredRedirect = "http://127.0.0.1/oauth/callback"
	callback           = "http://127.0.0.1:49152/oauth/callback"
)

func registerAuthCode(t *testing.T, w *world) *ssooidc.RegisterClientOutput {
	t.Helper()
	reg, err := w.oidc.RegisterClient(t.Context(), &ssooidc.RegisterClientInput{
		ClientName:   aws.String("hop-test"),
		ClientType:   aws.String("public"),
		Scopes:       []string{"sso:account:access"},
		GrantTypes:   []string{"authorization_code", "refresh_token"},
		RedirectUris: []string{registeredRedirect},
		IssuerUrl:    aws.String(startURL),
	})
	if err != nil {
		t.Fatalf("RegisterClient: %v", err)
	}
	return reg
}

func pkcePair() (verifier, challenge string) {
	verifier = rand.Text() + rand.Text()
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// visitAuthorize opens the authorization URL as a browser would, without
// following the redirect, and returns the redirect's target.
func visitAuthorize(t *testing.T, w *world, params url.Values) (int, *url.URL) {
	t.Helper()
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(w.srv.URL() + "/authorize?" + params.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return resp.StatusCode, nil
	}
	loc, err := resp.Location()
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, loc
}

func authorizeParams(clientID, challenge string) url.Values {
	return url.Values{
		"response_type":         {"code"},
		"client_id":             {clientID},
		"redirect_uri":          {callback},
		"state":                 {"state-123"},
		"code_challenge_method": {"S256"},
		"scopes":                {"sso:account:access"},
		"code_challenge":        {challenge},
	}
}

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	w := start(t, idc.Options{})
	ctx := t.Context()
	reg := registerAuthCode(t, w)
	verifier, challenge := pkcePair()

	status, loc := visitAuthorize(t, w, authorizeParams(aws.ToString(reg.ClientId), challenge))
	if status != http.StatusFound {
		t.Fatalf("/authorize answered %d, want 302", status)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != callback {
		t.Fatalf("redirected to %s, want %s", got, callback)
	}
	code := loc.Query().Get("code")
	if code == "" || loc.Query().Get("state") != "state-123" {
		t.Fatalf("redirect query = %v, want a code and the state", loc.Query())
	}

	exchange := func(verifier, redirect string) (*ssooidc.CreateTokenOutput, error) {
		return w.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
			ClientId:     reg.ClientId,
			ClientSecret: reg.ClientSecret,
			GrantType:    aws.String("authorization_code"),
			Code:         aws.String(code),
			RedirectUri:  aws.String(redirect),
			CodeVerifier: aws.String(verifier),
		})
	}
	wrongVerifier, _ := pkcePair()
	_, err := exchange(wrongVerifier, callback)
	wantError[*oidctypes.InvalidGrantException](t, err)
	_, err = exchange(verifier, "http://127.0.0.1:1/other")
	wantError[*oidctypes.InvalidGrantException](t, err)

	tok, err := exchange(verifier, callback)
	if err != nil {
		t.Fatalf("exchanging the code: %v", err)
	}
	if aws.ToString(tok.AccessToken) == "" || aws.ToString(tok.RefreshToken) == "" {
		t.Fatalf("want access and refresh tokens, got %+v", tok)
	}
	if _, err := w.roleCredentials(ctx, aws.ToString(tok.AccessToken), role); err != nil {
		t.Fatalf("GetRoleCredentials with the PKCE token: %v", err)
	}
	if _, err := w.refresh(ctx, reg, aws.ToString(tok.RefreshToken)); err != nil {
		t.Fatalf("refreshing the PKCE token: %v", err)
	}
	_, err = exchange(verifier, callback)
	wantError[*oidctypes.InvalidGrantException](t, err) // codes are single use

	if got := w.srv.Count(idc.OpAuthorize); got != 1 {
		t.Errorf("Count(Authorize) = %d, want 1", got)
	}
}

func TestAuthorizeRejects(t *testing.T) {
	w := start(t, idc.Options{})
	reg := registerAuthCode(t, w)
	deviceOnly := w.register(t)
	_, challenge := pkcePair()
	id := aws.ToString(reg.ClientId)

	pages := []struct {
		name string
		edit func(url.Values)
	}{
		{"unknown client", func(v url.Values) { v.Set("client_id", "nobody") }},
		{"client not registered for the grant", func(v url.Values) { v.Set("client_id", aws.ToString(deviceOnly.ClientId)) }},
		{"other path", func(v url.Values) { v.Set("redirect_uri", "http://127.0.0.1:49152/elsewhere") }},
		{"not loopback", func(v url.Values) { v.Set("redirect_uri", "http://evil.example/oauth/callback") }},
	}
	for _, tc := range pages {
		t.Run(tc.name, func(t *testing.T) {
			params := authorizeParams(id, challenge)
			tc.edit(params)
			if status, _ := visitAuthorize(t, w, params); status != http.StatusBadRequest {
				t.Errorf("status = %d, want 400 and no redirect", status)
			}
		})
	}

	redirects := []struct {
		name, want string
		edit       func(url.Values)
	}{
		{"no challenge", "invalid_request", func(v url.Values) { v.Del("code_challenge") }},
		{"plain challenge", "invalid_request", func(v url.Values) { v.Set("code_challenge_method", "plain") }},
		{"token response", "unsupported_response_type", func(v url.Values) { v.Set("response_type", "token") }},
	}
	for _, tc := range redirects {
		t.Run(tc.name, func(t *testing.T) {
			params := authorizeParams(id, challenge)
			tc.edit(params)
			status, loc := visitAuthorize(t, w, params)
			if status != http.StatusFound || loc.Query().Get("error") != tc.want || loc.Query().Get("code") != "" {
				t.Errorf("got %d %v, want a redirect with error=%s", status, loc, tc.want)
			}
		})
	}

	t.Run("user denies", func(t *testing.T) {
		w.srv.SetDenyAccess(true)
		defer w.srv.SetDenyAccess(false)
		_, loc := visitAuthorize(t, w, authorizeParams(id, challenge))
		if loc == nil || loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "state-123" {
			t.Errorf("got redirect %v, want error=access_denied with the state", loc)
		}
	})
}
