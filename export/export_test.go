package export

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
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

// TestWriteGivesWhatExecGives: every format carries exactly the variables
// hop exec sets for its child, region and AWS_SESSION_EXPIRATION included.
func TestWriteGivesWhatExecGives(t *testing.T) {
	s := exec.Session{Profile: "p", AccessKeyID: "AKID", SecretAccessKey: "SECRET", SessionToken: "TOKEN",
		Expires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), Region: "eu-west-3", RoleARN: "arn:aws:iam::123412341234:role/R", AccountID: "123412341234"}
	var want []string
	for _, kv := range exec.Environ(nil, s) {
		name, _, _ := strings.Cut(kv, "=")
		want = append(want, name)
	}
	for _, name := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_SESSION_EXPIRATION"} {
		if !slices.Contains(want, name) {
			t.Fatalf("the child gets no %s", name)
		}
	}
	for _, format := range []string{"env", "env-no-export", "fish", "powershell", "json"} {
		var b bytes.Buffer
		if err := Write(&b, format, s); err != nil {
			t.Fatal(err)
		}
		var got []string
		if format == "json" {
			var doc map[string]string
			if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			got = slices.Sorted(maps.Keys(doc))
			if doc["AWS_REGION"] != "eu-west-3" || doc["AWS_SESSION_EXPIRATION"] != "2030-01-02T03:04:05Z" {
				t.Errorf("json: %v", doc)
			}
		} else {
			for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
				line = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(line, "export "), "set -gx "), "$Env:")
				name, _, _ := strings.Cut(strings.Replace(line, " ", "=", 1), "=")
				got = append(got, name)
			}
			if !strings.Contains(b.String(), "eu-west-3") {
				t.Errorf("%s has no region:\n%s", format, b.String())
			}
		}
		wantHere := want
		if format == "json" {
			wantHere = slices.Sorted(slices.Values(want))
		}
		if !slices.Equal(got, wantHere) {
			t.Errorf("%s prints %v, the child gets %v", format, got, wantHere)
		}
	}
}
