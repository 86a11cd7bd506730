package idc

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Grant types, as sent in CreateToken's grantType.
const (
	grantDeviceCode   = "urn:ietf:params:oauth:grant-type:device_code"
	grantRefreshToken = "refresh_token"
	grantAuthCode     = "authorization_code"
)

type client struct {
	id, secret   string
	scopes       []string
	grantTypes   []string // empty: device code and refresh token
	redirectURIs []string
	expiresAt    time.Time
}

// allows reports whether the client may use grant.
func (c *client) allows(grant string) bool {
	if len(c.grantTypes) == 0 {
		return grant == grantDeviceCode || grant == grantRefreshToken
	}
	return slices.Contains(c.grantTypes, grant)
}

type deviceGrant struct {
	clientID  string
	userCode  string
	expiresAt time.Time
	approved  bool
	denied    bool
	used      bool
	lastPoll  time.Time
}

type authCode struct {
	clientID    string
	redirectURI string
	challenge   string
	expiresAt   time.Time
	used        bool
}

// session is one sign-in. Its access and refresh tokens share it, so
// Logout ends them all.
type session struct{ ended bool }

type issuedToken struct {
	session   *session
	clientID  string
	expiresAt time.Time
}

func (t *issuedToken) valid(now time.Time) bool {
	return t != nil && !t.session.ended && now.Before(t.expiresAt)
}

func (s *Server) registerClient(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ClientName   string   `json:"clientName"`
		ClientType   string   `json:"clientType"`
		Scopes       []string `json:"scopes"`
		GrantTypes   []string `json:"grantTypes"`
		RedirectURIs []string `json:"redirectUris"`
		IssuerURL    string   `json:"issuerUrl"`
	}
	if e := readJSON(r, &in); e != nil {
		e.writeOIDC(w)
		return
	}
	if in.ClientName == "" || in.ClientType == "" {
		apiErr(http.StatusBadRequest, "InvalidRequestException", "clientName and clientType are required").writeOIDC(w)
		return
	}
	if in.ClientType != "public" {
		apiErr(http.StatusBadRequest, "InvalidClientMetadataException", "clientType must be public").writeOIDC(w)
		return
	}
	for _, g := range in.GrantTypes {
		if g != grantDeviceCode && g != grantRefreshToken && g != grantAuthCode {
			apiErr(http.StatusBadRequest, "InvalidClientMetadataException", "unsupported grant type "+g).writeOIDC(w)
			return
		}
	}
	if slices.Contains(in.GrantTypes, grantAuthCode) {
		if len(in.RedirectURIs) == 0 || in.IssuerURL == "" {
			apiErr(http.StatusBadRequest, "InvalidRequestException", "the authorization_code grant needs redirectUris and issuerUrl").writeOIDC(w)
			return
		}
		for _, u := range in.RedirectURIs {
			if p, err := url.Parse(u); err != nil || !p.IsAbs() || p.Fragment != "" {
				apiErr(http.StatusBadRequest, "InvalidRedirectUriException", "redirect URI "+u+" is not an absolute URL").writeOIDC(w)
				return
			}
		}
	}

	s.mu.Lock()
	now := s.opts.Now()
	c := &client{
		id:           secret("client-"),
		secret:       secret("secret-") + secret(""),
		scopes:       in.Scopes,
		grantTypes:   in.GrantTypes,
		redirectURIs: in.RedirectURIs,
		expiresAt:    now.Add(s.opts.ClientSecretTTL),
	}
	s.clients[c.id] = c
	s.mu.Unlock()

	base := baseURL(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"clientId":              c.id,
		"clientSecret":          c.secret,
		"clientIdIssuedAt":      now.Unix(),
		"clientSecretExpiresAt": c.expiresAt.Unix(),
		"authorizationEndpoint": base + "/authorize",
		"tokenEndpoint":         base + "/token",
	})
}

// authenticate checks a client's credentials. The caller holds s.mu.
func (s *Server) authenticate(id, secret string, now time.Time) (*client, *apiError) {
	c := s.clients[id]
	if c == nil || c.secret != secret {
		return nil, apiErr(http.StatusUnauthorized, "InvalidClientException", "unknown client ID or wrong client secret; register the client again")
	}
	if !now.Before(c.expiresAt) {
		return nil, apiErr(http.StatusUnauthorized, "InvalidClientException", "the client registration has expired; register the client again")
	}
	return c, nil
}

func (s *Server) startDeviceAuthorization(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret"`
		StartURL     string `json:"startUrl"`
	}
	if e := readJSON(r, &in); e != nil {
		e.writeOIDC(w)
		return
	}
	if in.ClientID == "" || in.ClientSecret == "" || in.StartURL == "" {
		apiErr(http.StatusBadRequest, "InvalidRequestException", "clientId, clientSecret and startUrl are required").writeOIDC(w)
		return
	}

	s.mu.Lock()
	now := s.opts.Now()
	c, e := s.authenticate(in.ClientID, in.ClientSecret, now)
	if e != nil {
		s.mu.Unlock()
		e.writeOIDC(w)
		return
	}
	deviceCode := secret("device-")
	g := &deviceGrant{
		clientID:  c.id,
		userCode:  userCode(),
		expiresAt: now.Add(s.opts.DeviceCodeTTL),
		approved:  s.opts.AutoApprove,
	}
	s.devices[deviceCode] = g
	s.users[g.userCode] = g
	expiresIn := int64(s.opts.DeviceCodeTTL / time.Second)
	interval := int64((s.opts.PollInterval + time.Second - 1) / time.Second)
	s.mu.Unlock()

	verify := baseURL(r) + "/device"
	writeJSON(w, http.StatusOK, map[string]any{
		"deviceCode":              deviceCode,
		"userCode":                g.userCode,
		"verificationUri":         verify,
		"verificationUriComplete": verify + "?user_code=" + url.QueryEscape(g.userCode),
		"expiresIn":               expiresIn,
		"interval":                interval,
	})
}

type tokenRequest struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	GrantType    string `json:"grantType"`
	DeviceCode   string `json:"deviceCode"`
	Code         string `json:"code"`
	RefreshToken string `json:"refreshToken"`
	RedirectURI  string `json:"redirectUri"`
	CodeVerifier string `json:"codeVerifier"`
}

type tokenResponse struct {
	AccessToken  string `json:"accessToken"`
	TokenType    string `json:"tokenType"`
	ExpiresIn    int64  `json:"expiresIn"`
	RefreshToken string `json:"refreshToken,omitempty"`
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	var in tokenRequest
	if e := readJSON(r, &in); e != nil {
		e.writeOIDC(w)
		return
	}
	out, e := s.token(&in)
	if e != nil {
		e.writeOIDC(w)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) token(in *tokenRequest) (*tokenResponse, *apiError) {
	if in.ClientID == "" || in.ClientSecret == "" || in.GrantType == "" {
		return nil, apiErr(http.StatusBadRequest, "InvalidRequestException", "clientId, clientSecret and grantType are required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	c, e := s.authenticate(in.ClientID, in.ClientSecret, now)
	if e != nil {
		return nil, e
	}
	switch in.GrantType {
	case grantDeviceCode, grantRefreshToken, grantAuthCode:
	default:
		return nil, apiErr(http.StatusBadRequest, "UnsupportedGrantTypeException", "unsupported grant type "+in.GrantType)
	}
	if !c.allows(in.GrantType) {
		return nil, apiErr(http.StatusBadRequest, "UnauthorizedClientException", "the client is not registered for the "+in.GrantType+" grant")
	}
	switch in.GrantType {
	case grantDeviceCode:
		return s.deviceCodeGrant(c, in.DeviceCode, now)
	case grantRefreshToken:
		return s.refreshGrant(c, in.RefreshToken, now)
	default:
		return s.authCodeGrant(c, in, now)
	}
}

func (s *Server) deviceCodeGrant(c *client, deviceCode string, now time.Time) (*tokenResponse, *apiError) {
	g := s.devices[deviceCode]
	switch {
	case g == nil || g.clientID != c.id:
		return nil, apiErr(http.StatusBadRequest, "InvalidGrantException", "unknown device code")
	case g.used:
		return nil, apiErr(http.StatusBadRequest, "InvalidGrantException", "the device code was already exchanged for a token")
	case !now.Before(g.expiresAt):
		return nil, apiErr(http.StatusBadRequest, "ExpiredTokenException", "the device code has expired; start the sign-in again")
	case g.denied:
		return nil, apiErr(http.StatusBadRequest, "AccessDeniedException", "the user denied the request")
	}
	tooSoon := s.opts.EnforcePollInterval && !g.lastPoll.IsZero() && now.Sub(g.lastPoll) < s.opts.PollInterval
	g.lastPoll = now
	switch {
	case tooSoon:
		return nil, apiErr(http.StatusBadRequest, "SlowDownException", "polling faster than the interval")
	case !g.approved:
		return nil, apiErr(http.StatusBadRequest, "AuthorizationPendingException", "the user has not confirmed the code yet")
	}
	g.used = true
	return s.issue(c, &session{}, now), nil
}

func (s *Server) refreshGrant(c *client, refreshToken string, now time.Time) (*tokenResponse, *apiError) {
	t := s.refresh[refreshToken]
	if !t.valid(now) || t.clientID != c.id {
		return nil, apiErr(http.StatusBadRequest, "InvalidGrantException", "the refresh token is invalid or expired; sign in again")
	}
	// Refresh tokens are single use: the answer carries the next one.
	delete(s.refresh, refreshToken)
	return s.issue(c, t.session, now), nil
}

func (s *Server) authCodeGrant(c *client, in *tokenRequest, now time.Time) (*tokenResponse, *apiError) {
	code := s.codes[in.Code]
	switch {
	case code == nil || code.clientID != c.id:
		return nil, apiErr(http.StatusBadRequest, "InvalidGrantException", "unknown authorization code")
	case code.used || !now.Before(code.expiresAt):
		return nil, apiErr(http.StatusBadRequest, "InvalidGrantException", "the authorization code was already used or has expired")
	case in.RedirectURI != code.redirectURI:
		return nil, apiErr(http.StatusBadRequest, "InvalidGrantException", "redirectUri does not match the one sent to /authorize")
	case in.CodeVerifier == "" || pkceChallenge(in.CodeVerifier) != code.challenge:
		return nil, apiErr(http.StatusBadRequest, "InvalidGrantException", "codeVerifier does not match the code_challenge")
	}
	code.used = true
	return s.issue(c, &session{}, now), nil
}

// pkceChallenge is the S256 code challenge of a verifier (RFC 7636 4.2).
func pkceChallenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// issue mints an access token, and a refresh token for clients registered
// with scopes. The caller holds s.mu.
func (s *Server) issue(c *client, sess *session, now time.Time) *tokenResponse {
	ttl := s.opts.AccessTokenTTL
	out := &tokenResponse{
		AccessToken: secret("access-"),
		TokenType:   "Bearer",
		ExpiresIn:   int64(ttl / time.Second),
	}
	s.access[out.AccessToken] = &issuedToken{session: sess, clientID: c.id, expiresAt: now.Add(ttl)}
	if !s.opts.NoRefreshTokens && len(c.scopes) > 0 {
		out.RefreshToken = secret("refresh-")
		s.refresh[out.RefreshToken] = &issuedToken{session: sess, clientID: c.id, expiresAt: now.Add(s.opts.RefreshTokenTTL)}
	}
	return out
}
