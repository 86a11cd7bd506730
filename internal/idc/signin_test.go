package idc_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials/logincreds"
	"github.com/aws/aws-sdk-go-v2/service/signin"

	"github.com/hop-cli/hop/internal/idc"
)

const loginARN = "arn:aws:iam::123412341234:user/alice"

func startSignin(t *testing.T) (*idc.Server, *ecdsa.PrivateKey, idc.LoginSession) {
	t.Helper()
	s := idc.New(idc.Options{})
	if err := s.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return s, key, s.StartLogin(loginARN, &key.PublicKey, granted)
}

// TestSigninRenewsThroughTheSDK: the SDK's own logincreds renews a session
// whose credentials have expired, through the emulator, with its DPoP proof.
func TestSigninRenewsThroughTheSDK(t *testing.T) {
	s, key, sess := startSignin(t)
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	file := map[string]any{
		"accessToken": map[string]string{"accessKeyId": "ASIAOLD", "secretAccessKey": "old", "sessionToken": "old",
			"accountId": "123412341234", "expiresAt": "2020-01-01T00:00:00Z"},
		"tokenType": "aws_sigv4", "refreshToken": sess.RefreshToken, "identityToken": "id", "clientId": sess.ClientID,
		"dpopKey": string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})),
	}
	path := filepath.Join(t.TempDir(), "token.json")
	data, _ := json.Marshal(file)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	client := signin.New(signin.Options{Region: "us-east-1", BaseEndpoint: &[]string{s.URL()}[0]})
	got, err := logincreds.New(client, path).Retrieve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessKeyID != granted.AccessKeyID || got.SessionToken != granted.SessionToken {
		t.Fatalf("renewed to %+v, want the granted credentials", got)
	}
	if n := s.Count(idc.OpCreateOAuth2Token); n != 1 {
		t.Fatalf("%d CreateOAuth2Token calls, want 1", n)
	}
	// The refresh token rotated: the old one is spent.
	if status := postToken(t, s, sess, proof(t, key, key, "POST", s.URL()+"/v1/token", time.Now())); status != http.StatusBadRequest {
		t.Fatalf("a spent refresh token answered %d, want 400", status)
	}
	// An ended session is refused, with TOKEN_EXPIRED, which the SDK
	// reads as such.
	s.EndLogins()
	renewed, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var again map[string]any
	if err := json.Unmarshal(renewed, &again); err != nil {
		t.Fatal(err)
	}
	again["accessToken"].(map[string]any)["expiresAt"] = "2020-01-01T00:00:00Z"
	data, _ = json.Marshal(again)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := logincreds.New(client, path).Retrieve(t.Context()); err == nil || !strings.Contains(err.Error(), "login session has expired") {
		t.Fatalf("an ended session renewed: %v", err)
	}
}

// TestSigninRefusesBadDPoP: every proof the real service would refuse is
// refused, and refusing one spends nothing: a good proof works after.
func TestSigninRefusesBadDPoP(t *testing.T) {
	s, key, sess := startSignin(t)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	url := s.URL() + "/v1/token"
	now := time.Now()
	for name, p := range map[string]string{
		"none":                "",
		"another key":         proof(t, other, other, "POST", url, now),
		"signed by another":   proof(t, key, other, "POST", url, now),
		"wrong method":        proof(t, key, key, "GET", url, now),
		"wrong url":           proof(t, key, key, "POST", s.URL()+"/token", now),
		"another host":        proof(t, key, key, "POST", "https://signin.aws.amazon.com/v1/token", now),
		"stale":               proof(t, key, key, "POST", url, now.Add(-time.Hour)),
		"from the future":     proof(t, key, key, "POST", url, now.Add(time.Hour)),
		"not a jwt":           "a.b",
		"signature truncated": proof(t, key, key, "POST", url, now)[:100],
	} {
		if status := postToken(t, s, sess, p); status != http.StatusBadRequest {
			t.Errorf("%s: answered %d, want 400", name, status)
		}
	}
	good := proof(t, key, key, "POST", url, now)
	if status := postToken(t, s, sess, good); status != http.StatusOK {
		t.Fatalf("a good proof answered %d after the bad ones", status)
	}
	// A proof is single use (its jti).
	other2 := s.StartLogin(loginARN, &key.PublicKey, granted)
	if status := postToken(t, s, other2, good); status != http.StatusBadRequest {
		t.Errorf("a replayed proof answered %d, want 400", status)
	}
}

func postToken(t *testing.T, s *idc.Server, sess idc.LoginSession, dpop string) int {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"clientId": sess.ClientID, "grantType": "refresh_token", "refreshToken": sess.RefreshToken})
	req, _ := http.NewRequest("POST", s.URL()+"/v1/token", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if dpop != "" {
		req.Header.Set("DPoP", dpop)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// proof is a DPoP proof naming claimed's public key, signed with signer.
func proof(t *testing.T, claimed, signer *ecdsa.PrivateKey, htm, htu string, iat time.Time) string {
	t.Helper()
	enc := func(v any) string {
		data, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(data)
	}
	coord := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	pub, _ := claimed.PublicKey.ECDH()
	raw := pub.Bytes() // 0x04 || X || Y
	header := enc(map[string]any{"typ": "dpop+jwt", "alg": "ES256",
		"jwk": map[string]string{"kty": "EC", "crv": "P-256", "x": coord(raw[1:33]), "y": coord(raw[33:])}})
	claims := enc(map[string]any{"jti": rand.Text(), "htm": htm, "htu": htu, "iat": iat.Unix()})
	digest := sha256.Sum256([]byte(header + "." + claims))
	r, sv, err := ecdsa.Sign(rand.Reader, signer, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	sv.FillBytes(sig[32:])
	return header + "." + claims + "." + coord(sig)
}
