//go:build e2e

package idc_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"reflect"
	"testing"

	"github.com/hop-cli/hop/internal/idc"
)

// TestBotocoreParsesWireFormat runs botocore's own clients (what the AWS
// CLI v1 uses) against the emulator, so the wire format is checked by a
// second, independent parser besides the Go SDK.
func TestBotocoreParsesWireFormat(t *testing.T) {
	w := start(t, idc.Options{})
	w.srv.Fail(idc.OpCreateToken, 1, http.StatusBadRequest, "SlowDownException")
	w.srv.Fail(idc.OpGetRoleCredentials, 1, http.StatusTooManyRequests, "TooManyRequestsException")

	cmd := exec.CommandContext(t.Context(), "python3", "testdata/botocore_wire.py", w.srv.URL(), account, role)
	// A clean environment: no AWS settings or credentials from outside.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("botocore script: %v\n%s", err, stderr.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("botocore script printed %q: %v", out, err)
	}

	failed := func(code string, status int) map[string]any {
		return map[string]any{"error": code, "status": float64(status)}
	}
	tokenFacts := map[string]any{"error": nil, "tokenType": "Bearer", "expiresIn": float64(28800), "hasRefresh": true}
	want := map[string]any{
		"register":         map[string]any{"error": nil, "secretExpiresAtIsInt": true},
		"startDevice":      map[string]any{"error": nil, "interval": float64(1), "expiresIn": float64(600), "linkOnServer": true},
		"pollSlowDown":     failed("SlowDownException", 400),
		"pollPending":      failed("AuthorizationPendingException", 400),
		"verifyStatus":     float64(200),
		"pollApproved":     tokenFacts,
		"refresh":          map[string]any{"error": nil, "tokenType": "Bearer", "expiresIn": float64(28800), "hasRefresh": true, "newAccessToken": true},
		"refreshReused":    failed("InvalidGrantException", 400),
		"credsThrottled":   failed("TooManyRequestsException", 429),
		"creds":            map[string]any{"error": nil, "accessKeyId": granted.AccessKeyID, "expirationIsInt": true, "hasSessionTokenKey": true},
		"credsBadToken":    failed("UnauthorizedException", 401),
		"accounts":         map[string]any{"error": nil, "ids": []any{account}},
		"registerAuthCode": map[string]any{"error": nil},
		"authorize":        map[string]any{"status": float64(302), "state": "botocore-state", "hasCode": true},
		"pkceBadVerifier":  failed("InvalidGrantException", 400),
		"pkce":             tokenFacts,
		"logout":           map[string]any{"error": nil},
		"credsAfterLogout": failed("UnauthorizedException", 401),
	}
	for step, w := range want {
		if !reflect.DeepEqual(got[step], w) {
			t.Errorf("%s: botocore saw %v, want %v", step, got[step], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("botocore reported %d steps, want %d: %v", len(got), len(want), got)
	}
}
