package export

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	osexec "os/exec"
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
		{psQuote, "it's ‘x’", `'it''s ' + [char]0x2018 + 'x' + [char]0x2019`},
		{psQuote, "", `''`},
		{psQuote, "é", `'' + [char]0x00E9`},
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

// TestNoNULReachesAShell: a value with a NUL, which every shell cuts, and
// its closing quote with it, is refused for every shell format and every
// renewal, whichever variable holds it, and nothing is printed.
func TestNoNULReachesAShell(t *testing.T) {
	good := exec.Session{Profile: "p", AccessKeyID: "AKID", SecretAccessKey: "SECRET", SessionToken: "TOKEN",
		Expires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	for _, edit := range []func(*exec.Session){
		func(s *exec.Session) { s.SecretAccessKey = "a\x00" },
		func(s *exec.Session) { s.SessionToken = "; touch /tmp/x; #\x00" },
		func(s *exec.Session) { s.Profile = "p\x00'; touch /tmp/x; #" },
	} {
		s := good
		edit(&s)
		for _, format := range []string{"env", "env-no-export", "fish", "powershell"} {
			var b bytes.Buffer
			err := Write(&b, format, s)
			if err == nil || !strings.Contains(err.Error(), "NUL") || b.Len() > 0 {
				t.Errorf("%s: Write = %v, printed %q; want a refusal and nothing printed", format, err, b.String())
			}
			if err != nil && strings.Contains(err.Error(), "touch") {
				t.Errorf("%s: the error repeats the value: %v", format, err)
			}
		}
		if s.Profile != good.Profile {
			continue // a renewal prints no profile
		}
		for _, shell := range RenewalShells {
			var b bytes.Buffer
			if err := WriteRenewal(&b, shell, s); err == nil || b.Len() > 0 {
				t.Errorf("renewal for %s: %v, printed %q; want a refusal and nothing printed", shell, err, b.String())
			}
		}
	}
}

// TestFishEvalsExport: `eval (hop export --format fish)` in a real fish,
// which hands eval the output's lines as words joined by spaces, sets each
// variable to its value, hostile ones included, and runs nothing.
func TestFishEvalsExport(t *testing.T) {
	fish, err := osexec.LookPath("fish")
	if err != nil {
		t.Skip("fish not installed")
	}
	hostile := "s'e\"c$(touch pwned)`x`\\ret; touch pwned2"
	s := exec.Session{Profile: "p", AccessKeyID: "AKID", SecretAccessKey: hostile, SessionToken: "TOKEN",
		Expires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), Region: "eu-west-3"}
	var script bytes.Buffer
	if err := Write(&script, "fish", s); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := osexec.Command(fish, "--no-config", "-c", `eval (cat); or exit 9; printf '%s|' (count $AWS_ACCESS_KEY_ID) $AWS_ACCESS_KEY_ID $AWS_SECRET_ACCESS_KEY $AWS_SESSION_TOKEN $AWS_REGION $HOP_EXPIRES_AT`)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir()}
	cmd.Stdin = &script
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if want := "1|AKID|" + hostile + "|TOKEN|eu-west-3|1893553445|"; string(out) != want {
		t.Errorf("eval (hop export --format fish) set %q, want %q", out, want)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("evaluating the export ran code: %v", entries)
	}
}

// TestINI: aws-vault's ini format, a profile section; a value or a name
// that would end its line is refused, with nothing printed.
func TestINI(t *testing.T) {
	s := exec.Session{Profile: "dev", AccessKeyID: "AKIA1", SecretAccessKey: "se=cret", SessionToken: "tok", Region: "eu-west-1",
		Expires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	var b strings.Builder
	if err := Write(&b, "ini", s); err != nil {
		t.Fatal(err)
	}
	want := "[profile dev]\naws_access_key_id = AKIA1\naws_secret_access_key = se=cret\naws_session_token = tok\naws_credential_expiration = 2030-01-02T03:04:05Z\nregion = eu-west-1\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	for _, bad := range []exec.Session{{Profile: "dev]\n[x", AccessKeyID: "A", SecretAccessKey: "S"}, {Profile: "dev", AccessKeyID: "A", SecretAccessKey: "S", Region: "r\nrole_arn = x"}} {
		var b strings.Builder
		if err := Write(&b, "ini", bad); err == nil || b.Len() != 0 {
			t.Errorf("%+v: printed %q, error %v", bad, b.String(), err)
		}
	}
}

// TestExportEnvIsEnv: aws-vault's export-env is hop's env.
func TestExportEnvIsEnv(t *testing.T) {
	s := exec.Session{Profile: "dev", AccessKeyID: "AKIA1", SecretAccessKey: "S"}
	var a, b strings.Builder
	if err := Write(&a, "export-env", s); err != nil {
		t.Fatal(err)
	}
	Write(&b, "env", s)
	if a.String() != b.String() {
		t.Errorf("export-env %q, env %q", a.String(), b.String())
	}
}
