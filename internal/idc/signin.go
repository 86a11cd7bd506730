package idc

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// OpCreateOAuth2Token is the sign-in service's token endpoint, which renews
// an `aws login` session (AWS_ENDPOINT_URL_SIGNIN).
const OpCreateOAuth2Token = "CreateOAuth2Token"

// DefaultLoginCredentialsTTL is how long an `aws login` session's
// credentials last, as AWS issues them.
const DefaultLoginCredentialsTTL = 15 * time.Minute

// dpopMaxAge bounds how far a DPoP proof's iat may be from the server's
// clock, either way (RFC 9449 leaves it to the server; minutes is usual).
const dpopMaxAge = 5 * time.Minute

// LoginSession is what `aws login` leaves with the CLI: a client ID and a
// refresh token bound to the DPoP key the CLI made.
type LoginSession struct {
	ClientID     string
	RefreshToken string
}

type loginGrant struct {
	arn      string
	clientID string
	// jwk is the bound key's public coordinates, as a proof carries them.
	jwk   [2]string
	creds Credentials
	ended bool
}

// StartLogin makes an `aws login` session for arn whose refresh token is
// bound to key and renews to c, as the browser sign-in would.
func (s *Server) StartLogin(arn string, key *ecdsa.PublicKey, c Credentials) LoginSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := &loginGrant{arn: arn, clientID: "arn:aws:signin:::devtools/same-device", jwk: jwkOf(key), creds: c}
	refresh := secret("login-refresh-")
	s.logins[refresh] = g
	return LoginSession{ClientID: g.clientID, RefreshToken: refresh}
}

// EndLogins ends every `aws login` session: renewals are refused with
// TOKEN_EXPIRED, as when the session's 12 hours are up.
func (s *Server) EndLogins() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.logins {
		g.ended = true
	}
}

func jwkOf(k *ecdsa.PublicKey) [2]string {
	var x, y [32]byte
	k.X.FillBytes(x[:])
	k.Y.FillBytes(y[:])
	return [2]string{base64.RawURLEncoding.EncodeToString(x[:]), base64.RawURLEncoding.EncodeToString(y[:])}
}

// createOAuth2Token renews a login session: refresh_token grant only, the
// refresh token rotated, and the request carrying a DPoP proof signed by
// the key the session is bound to.
func (s *Server) createOAuth2Token(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ClientID     string `json:"clientId"`
		GrantType    string `json:"grantType"`
		RefreshToken string `json:"refreshToken"`
	}
	if e := readJSON(r, &in); e != nil {
		writeSigninError(w, http.StatusBadRequest, "ValidationException", "INVALID_REQUEST", e.description)
		return
	}
	if in.GrantType != "refresh_token" {
		writeSigninError(w, http.StatusBadRequest, "ValidationException", "unsupported_grant_type", "only refresh_token is supported")
		return
	}
	now := s.opts.Now()
	jwk, jti, err := verifyDPoP(r.Header.Values("DPoP"), r.Method, baseURL(r)+r.URL.Path, now)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil && s.dpopSeen[jti] {
		err = errors.New("jti already used")
	}
	if err != nil {
		writeSigninError(w, http.StatusBadRequest, "ValidationException", "INVALID_REQUEST", "invalid DPoP proof: "+err.Error())
		return
	}
	s.dpopSeen[jti] = true
	g := s.logins[in.RefreshToken]
	switch {
	case g == nil || g.clientID != in.ClientID:
		writeSigninError(w, http.StatusBadRequest, "AccessDeniedException", "TOKEN_EXPIRED", "refresh token not found or expired")
		return
	case g.jwk != jwk:
		writeSigninError(w, http.StatusBadRequest, "AccessDeniedException", "INVALID_REQUEST", "the DPoP key is not the one the session is bound to")
		return
	case g.ended:
		writeSigninError(w, http.StatusBadRequest, "AccessDeniedException", "TOKEN_EXPIRED", "the session has expired")
		return
	}
	delete(s.logins, in.RefreshToken)
	refresh := secret("login-refresh-")
	s.logins[refresh] = g
	writeJSON(w, http.StatusOK, map[string]any{
		"accessToken": map[string]string{
			"accessKeyId":     g.creds.AccessKeyID,
			"secretAccessKey": g.creds.SecretAccessKey,
			"sessionToken":    g.creds.SessionToken,
		},
		"expiresIn":    int(s.opts.LoginCredentialsTTL.Seconds()),
		"idToken":      secret("login-id-"),
		"refreshToken": refresh,
		"tokenType":    "aws_sigv4",
	})
}

func writeSigninError(w http.ResponseWriter, status int, errorType, code, message string) {
	writeJSONError(w, status, errorType, map[string]string{"__type": errorType, "error": code, "message": message})
}

// verifyDPoP checks a DPoP proof as RFC 9449 section 4.3 asks: one proof,
// a dpop+jwt ES256 JWT with a P-256 public key in its header, signed by
// that key, for this method and URL, issued recently. It returns the key
// and the proof's jti.
func verifyDPoP(proofs []string, method, url string, now time.Time) (jwk [2]string, jti string, err error) {
	if len(proofs) != 1 {
		return jwk, "", fmt.Errorf("%d DPoP headers, want 1", len(proofs))
	}
	parts := strings.Split(proofs[0], ".")
	if len(parts) != 3 {
		return jwk, "", errors.New("not a JWS")
	}
	var header struct {
		Typ string `json:"typ"`
		Alg string `json:"alg"`
		JWK struct {
			Kty, Crv, X, Y string
			D              string `json:"d"`
		} `json:"jwk"`
	}
	var claims struct {
		Jti string `json:"jti"`
		Htm string `json:"htm"`
		Htu string `json:"htu"`
		Iat int64  `json:"iat"`
	}
	if err := decodeSegment(parts[0], &header); err != nil {
		return jwk, "", fmt.Errorf("header: %w", err)
	}
	if err := decodeSegment(parts[1], &claims); err != nil {
		return jwk, "", fmt.Errorf("claims: %w", err)
	}
	if header.Typ != "dpop+jwt" || header.Alg != "ES256" || header.JWK.Kty != "EC" || header.JWK.Crv != "P-256" {
		return jwk, "", fmt.Errorf("typ %q alg %q key %s/%s, want dpop+jwt ES256 EC/P-256", header.Typ, header.Alg, header.JWK.Kty, header.JWK.Crv)
	}
	if header.JWK.D != "" {
		return jwk, "", errors.New("the header carries a private key")
	}
	x, errX := base64.RawURLEncoding.DecodeString(header.JWK.X)
	y, errY := base64.RawURLEncoding.DecodeString(header.JWK.Y)
	if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
		return jwk, "", errors.New("malformed jwk coordinates")
	}
	key := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(x), Y: new(big.Int).SetBytes(y)}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return jwk, "", errors.New("malformed signature")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(key, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return jwk, "", errors.New("bad signature")
	}
	if claims.Htm != method {
		return jwk, "", fmt.Errorf("htm %q, want %q", claims.Htm, method)
	}
	if htu, _, _ := strings.Cut(claims.Htu, "?"); htu != url {
		return jwk, "", fmt.Errorf("htu %q, want %q", claims.Htu, url)
	}
	if age := now.Sub(time.Unix(claims.Iat, 0)); age > dpopMaxAge || age < -dpopMaxAge {
		return jwk, "", fmt.Errorf("iat %d is %s from now", claims.Iat, age)
	}
	if claims.Jti == "" {
		return jwk, "", errors.New("no jti")
	}
	return [2]string{header.JWK.X, header.JWK.Y}, claims.Jti, nil
}

func decodeSegment(seg string, v any) error {
	data, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}
