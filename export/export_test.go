package export

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/exec"
)

func TestQuoting(t *testing.T) {
	tests := []struct {
		quote func(string) string
		in    string
		want  string
	}{
		{shQuote, "plain", `'plain'`},
		{shQuote, "it's", `'it'\''s'`},
		{shQuote, "$(x)`y`\n", "'$(x)`y`\n'"},
		{fishQuote, `a\b'c`, `'a\\b\'c'`},
		{psQuote, "it's ‘x’", `'it''s ‘‘x’’'`},
	}
	for _, tt := range tests {
		if got := tt.quote(tt.in); got != tt.want {
			t.Errorf("quote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestWriteFormats(t *testing.T) {
	s := exec.Session{Profile: "p", AccessKeyID: "AKID", SecretAccessKey: "SECRET", SessionToken: "TOKEN",
		Expires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), AccountID: "123412341234"}
	var b bytes.Buffer
	if err := Write(&b, "powershell", s); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "$Env:AWS_ACCESS_KEY_ID = 'AKID'\n") || !strings.Contains(b.String(), "$Env:HOP_EXPIRES_AT = '1893553445'") {
		t.Errorf("powershell:\n%s", b.String())
	}
	b.Reset()
	if err := Write(&b, "process", exec.Session{AccessKeyID: "AKID", SecretAccessKey: "SECRET"}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	json.Unmarshal(b.Bytes(), &doc)
	if _, ok := doc["Expiration"]; ok || doc["Version"] != float64(1) {
		t.Errorf("static keys as a process document: %v", doc)
	}
	if err := Write(&b, "yaml", s); err == nil || !strings.Contains(err.Error(), "env, env-no-export") {
		t.Errorf("unknown format: %v", err)
	}
}
