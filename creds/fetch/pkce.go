package fetch

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/untrusted"
)

// callbackPath is where the browser returns. The registration names the
// loopback address without a port; the port is picked per login, which
// RFC 8252 allows for loopback redirects.
const callbackPath = "/oauth/callback"

// errNoBrowser means the browser could not be opened, so the login should
// fall back to the device-code flow.
var errNoBrowser = errors.New("no browser could be opened")

// loginWithBrowser runs the authorization-code flow with PKCE: the browser
// signs in and is redirected to a listener on 127.0.0.1 with the code.
func (f *Fetcher) loginWithBrowser(ctx context.Context, s *config.SSOSettings, tok *creds.Token) (*creds.Token, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening on 127.0.0.1 for the sign-in redirect: %w", err)
	}
	defer ln.Close()
	redirectURI := fmt.Sprintf("http://%s%s", ln.Addr(), callbackPath)

	client := f.oidcClient(s)
	reg, err := client.RegisterClient(ctx, &ssooidc.RegisterClientInput{
		ClientName:   aws.String(clientName),
		ClientType:   aws.String("public"),
		Scopes:       s.Scopes,
		GrantTypes:   []string{"authorization_code", "refresh_token"},
		RedirectUris: []string{"http://127.0.0.1" + callbackPath},
		IssuerUrl:    aws.String(s.StartURL),
	})
	if err != nil {
		return nil, fmt.Errorf("registering hop with Identity Center at %s: %w", s.StartURL, err)
	}
	tok.ClientID, tok.ClientSecret = aws.ToString(reg.ClientId), aws.ToString(reg.ClientSecret)
	tok.RegistrationExpiresAt = time.Unix(reg.ClientSecretExpiresAt, 0).UTC().Format(creds.CLITime)

	verifier, state := randomString(), randomString()
	challenge := sha256.Sum256([]byte(verifier))
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {tok.ClientID},
		"redirect_uri":          {redirectURI},
		"state":                 {state},
		"code_challenge_method": {"S256"},
		"code_challenge":        {base64.RawURLEncoding.EncodeToString(challenge[:])},
		"scopes":                {strings.Join(s.Scopes, " ")},
	}
	authorize := f.oidcBase(s) + "/authorize?" + q.Encode()

	codes := make(chan callback, 1)
	srv := &http.Server{Handler: callbackHandler(state, codes), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	if err := f.opts.OpenBrowser(authorize); err != nil {
		f.debugf("could not open a browser (%v); using the device code instead", err)
		return nil, errNoBrowser
	}
	// A browser that started may still show nothing (no display, a
	// headless box): with the URL the user can finish by hand, as with the
	// AWS CLI, instead of waiting out loginWait in silence.
	fmt.Fprintf(f.opts.Stderr, "hop: sign in to %s in the browser that just opened\nhop: if none opened, open %s\n",
		untrusted.Text(s.StartURL), untrusted.Text(authorize))

	var cb callback
	select {
	case cb = <-codes:
	case <-ctx.Done():
		return nil, fmt.Errorf("sign-in to %s interrupted: %w", s.StartURL, ctx.Err())
	case <-time.After(loginWait):
		return nil, fmt.Errorf("no answer from the browser within %s; run the command again, or use --use-device-code", loginWait)
	}
	if cb.err != "" {
		return nil, fmt.Errorf("Identity Center refused the sign-in to %s: %s", s.StartURL, untrusted.Text(cb.err))
	}
	out, err := client.CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId:     aws.String(tok.ClientID),
		ClientSecret: aws.String(tok.ClientSecret),
		GrantType:    aws.String("authorization_code"),
		Code:         aws.String(cb.code),
		CodeVerifier: aws.String(verifier),
		RedirectUri:  aws.String(redirectURI),
	})
	if err != nil {
		return nil, fmt.Errorf("signing in to %s: %w", s.StartURL, err)
	}
	return f.saveLogin(s, tok, out)
}

type callback struct{ code, err string }

// callbackHandler accepts the one redirect whose state matches; anything
// else is refused, so another local page cannot inject a code.
func callbackHandler(state string, codes chan<- callback) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.URL.Path != callbackPath || q.Get("state") != state {
			http.Error(w, "hop: unexpected request", http.StatusBadRequest)
			return
		}
		cb := callback{code: q.Get("code"), err: q.Get("error")}
		if cb.err == "" && cb.code == "" {
			cb.err = "no code in the redirect"
		}
		if d := q.Get("error_description"); d != "" {
			cb.err += ": " + d
		}
		select {
		case codes <- cb:
		default: // a repeated redirect: the first one counts
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		msg := "Signed in. You can close this tab and return to the terminal."
		if cb.err != "" {
			msg = "Sign-in failed: " + cb.err
		}
		fmt.Fprintf(w, "<!doctype html><title>hop</title><p>%s</p>\n", html.EscapeString(msg))
	})
}

// oidcBase is the OIDC service's base URL, which also serves /authorize.
func (f *Fetcher) oidcBase(s *config.SSOSettings) string {
	if e := f.endpoint(config.ServiceSSOOIDC); e != "" {
		return strings.TrimRight(e, "/")
	}
	return "https://oidc." + s.Region + ".amazonaws.com"
}

func randomString() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
