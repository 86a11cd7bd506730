package creds

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestResolveLoginSession(t *testing.T) {
	cfg := loadConfig(t, `
[profile dev]
login_session = arn:aws:iam::123412341234:user/alice
[profile admin]
role_arn = arn:aws:iam::123412341234:role/Admin
source_profile = dev
[profile broken]
login_session = alice
`, "")
	c, err := Resolve(cfg, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Hops) != 2 || c.Hops[1].Kind != KindRole {
		t.Fatalf("hops %+v", c.Hops)
	}
	if h := c.Hops[0]; h.Kind != KindLogin || h.LoginSession != "arn:aws:iam::123412341234:user/alice" || h.AccountID() != "123412341234" || !h.Cacheable() {
		t.Fatalf("source hop %+v", h)
	}
	if p := c.Parts(); p[len(p)-1] != "aws-login" {
		t.Fatalf("parts %v", p)
	}
	if _, err := Resolve(cfg, "broken"); err == nil || !strings.Contains(err.Error(), "aws login --profile broken") {
		t.Fatalf("a login_session that is not an ARN: %v", err)
	}
}

// TestLoginTokenKeepsWhatHopDoesNotUse: writing a session back keeps every
// field the CLI wrote, known to hop or not.
func TestLoginTokenKeepsWhatHopDoesNotUse(t *testing.T) {
	in := `{"accessToken":{"accessKeyId":"ASIA1","secretAccessKey":"s","sessionToken":"t","accountId":"1","expiresAt":"2026-01-01T00:00:00Z","extra":1},
"tokenType":"aws_sigv4","refreshToken":"r","identityToken":"i","clientId":"c","dpopKey":"k","newer":{"a":true}}`
	tok, err := ParseLoginToken([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	tok.RefreshToken, tok.ExpiresAt = "r2", time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)
	out, err := tok.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	access := doc["accessToken"].(map[string]any)
	if doc["refreshToken"] != "r2" || access["expiresAt"] != "2026-01-01T01:00:00Z" || access["extra"] != 1.0 ||
		doc["identityToken"] != "i" || doc["tokenType"] != "aws_sigv4" || doc["newer"] == nil {
		t.Fatalf("written back as %s", out)
	}
	for _, missing := range []string{"refreshToken", "dpopKey", "clientId"} {
		var m map[string]any
		json.Unmarshal([]byte(in), &m)
		delete(m, missing)
		data, _ := json.Marshal(m)
		if _, err := ParseLoginToken(data); err == nil {
			t.Errorf("a session without %s parsed", missing)
		}
	}
}
