package idc

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"slices"
)

// verify is the page at verificationUriComplete. Visiting it with a
// user_code plays the user signing in and clicking "Allow" (or "Deny",
// with DenyAccess).
func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("user_code")
	if code == "" {
		writePage(w, http.StatusOK, "Authorize request", "Open this page with ?user_code=XXXX-XXXX to confirm a sign-in.")
		return
	}
	s.mu.Lock()
	err := s.decide(code)
	denied := s.opts.DenyAccess
	s.mu.Unlock()
	switch {
	case err != nil:
		writePage(w, http.StatusBadRequest, "Invalid code", err.Error())
	case denied:
		writePage(w, http.StatusOK, "Request denied", "You denied access. You can close this window.")
	default:
		writePage(w, http.StatusOK, "Request approved", "You can close this window and return to the command line.")
	}
}

// decide approves the device code behind userCode, or denies it under
// DenyAccess. The caller holds s.mu.
func (s *Server) decide(userCode string) error {
	g := s.users[userCode]
	if g == nil || g.used || !s.opts.Now().Before(g.expiresAt) {
		return errors.New("the code " + userCode + " is unknown, already used or expired; start the sign-in again")
	}
	if s.opts.DenyAccess {
		g.denied = true
	} else {
		g.approved = true
	}
	return nil
}

// authorize is the authorization endpoint of the authorization-code grant
// with PKCE, as the AWS CLI v2 (2.22 and later) opens it in a browser:
//
//	{endpoint}/authorize?response_type=code&client_id=...&redirect_uri=...
//	    &state=...&code_challenge_method=S256&scopes=...&code_challenge=...
//
// The visit itself plays the user clicking "Allow": it answers 302 to
// redirect_uri with code and state. Errors about the client or redirect URI
// get a page, as the redirect target can't be trusted; others are
// redirected with error=... as OAuth prescribes.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirectURI := q.Get("redirect_uri")

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	c := s.clients[q.Get("client_id")]
	if c == nil || !now.Before(c.expiresAt) {
		writePage(w, http.StatusBadRequest, "Invalid client", "client_id is unknown or its registration expired; register the client again.")
		return
	}
	if !c.allows(grantAuthCode) || !redirectAllowed(c.redirectURIs, redirectURI) {
		writePage(w, http.StatusBadRequest, "Invalid redirect URI", "redirect_uri is not registered for this client.")
		return
	}
	back, _ := url.Parse(redirectURI) // redirectAllowed parsed it already
	answer := back.Query()
	answer.Set("state", q.Get("state"))
	switch {
	case q.Get("response_type") != "code":
		answer.Set("error", "unsupported_response_type")
	case q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256":
		answer.Set("error", "invalid_request")
		answer.Set("error_description", "code_challenge with code_challenge_method=S256 is required")
	case s.opts.DenyAccess:
		answer.Set("error", "access_denied")
	default:
		code := secret("code-")
		s.codes[code] = &authCode{
			clientID:    c.id,
			redirectURI: redirectURI,
			challenge:   q.Get("code_challenge"),
			expiresAt:   now.Add(authCodeTTL),
		}
		answer.Set("code", code)
	}
	back.RawQuery = answer.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// redirectAllowed matches a redirect URI against the registered ones. For
// loopback addresses any port matches (RFC 8252 7.3): the AWS CLI registers
// http://127.0.0.1/oauth/callback and listens on a port it picks later.
func redirectAllowed(registered []string, uri string) bool {
	u, err := url.Parse(uri)
	if err != nil || !u.IsAbs() {
		return false
	}
	if slices.Contains(registered, uri) {
		return true
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return false
	}
	for _, reg := range registered {
		ru, err := url.Parse(reg)
		if err == nil && ru.Scheme == u.Scheme && ru.Hostname() == u.Hostname() && ru.Path == u.Path {
			return true
		}
	}
	return false
}
