//go:build e2e && unix

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hop-cli/hop/internal/bench"
	"github.com/hop-cli/hop/internal/testenv"
)

// TestFrontListsAsCore: the front serves `hop list` itself when hop's store
// is the kernel keyring or the file store, and must print exactly what
// hop-core prints, table and JSON; a config hop refuses goes to hop-core,
// which reports it.
func TestFrontListsAsCore(t *testing.T) {
	core := filepath.Join(filepath.Dir(filepath.Dir(hopBin)), "libexec", "hop", "hop-core")
	// The front alone, with no hop-core beside it: it must not need one.
	alone := filepath.Join(t.TempDir(), "hop")
	data, err := os.ReadFile(hopBin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, data, 0o700); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	configPath, credentialsPath, _, err := bench.WriteScaleConfig(home, 300)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(configPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Wide, hostile and broken profiles beside the generated ones.
	f.WriteString("[profile 日本語]\nsso_session = org-1\nsso_account_id = 1\nsso_role_name = R\nregion = ünïcödé\n" +
		"[profile ctl\x1b]0;x\x07]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = team-1\n" +
		"[profile broken]\nrole_arn = nope\nsource_profile = team-1\n")
	f.Close()
	for _, backend := range []string{"file", "keyctl"} {
		env := []string{"HOME=" + home, "AWS_CONFIG_FILE=" + configPath, "AWS_SHARED_CREDENTIALS_FILE=" + credentialsPath,
			"HOP_BACKEND=" + backend, "HOP_FILE_DIR=" + filepath.Join(home, "keyring"), "PATH=" + os.Getenv("PATH")}
		for _, args := range [][]string{{"list"}, {"list", "--json"}} {
			want := runBin(t, core, env, args...)
			for _, bin := range []string{hopBin, alone} {
				if got := runBin(t, bin, env, args...); got != want {
					t.Errorf("%s %v with %s: the front prints %+v, hop-core %+v", bin, args, backend, got, want)
				}
			}
			if want.code != 0 || want.stdout == "" {
				t.Errorf("hop-core %v with %s: %+v", args, backend, want)
			}
		}
	}
	// A config hop refuses: hop-core's error, so the front alone fails.
	broken := filepath.Join(home, "broken")
	if err := os.WriteFile(broken, []byte("[profile a]\n[profile a]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home, "AWS_CONFIG_FILE=" + broken, "HOP_BACKEND=file", "PATH=" + os.Getenv("PATH")}
	want := runBin(t, core, env, "list")
	if got := runBin(t, hopBin, env, "list"); got != want || want.code == 0 {
		t.Errorf("hop list with a refused config: the front prints %+v, hop-core %+v", got, want)
	}
	if got := runBin(t, alone, env, "list"); got.code == 0 {
		t.Errorf("the front alone served a config hop refuses: %+v", got)
	}
}

// TestListJSONAndLongErrors: --json gives the chain as an array and times
// in RFC 3339 UTC; a long error does not widen the table.
func TestListJSONAndLongErrors(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	long := strings.Repeat("very-long-name-", 12)
	e.AppendConfig(t, "[profile broken]\nrole_arn = arn:aws:iam::123412341234:role/X\nsource_profile = "+long+"\n")
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("hop exec: %s", r.stderr)
	}
	r := hop(t, env, "list", "--json")
	if r.code != 0 {
		t.Fatalf("hop list --json: %s", r.stderr)
	}
	var rows []struct {
		Profile   string   `json:"profile"`
		Chain     []string `json:"chain"`
		AccountID string   `json:"account_id"`
		Role      string   `json:"role"`
		Expires   string   `json:"expires"`
		Error     string   `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	utc := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
	seen := 0
	for _, row := range rows {
		switch row.Profile {
		case "requires3":
			seen++
			if strings.Join(row.Chain, ",") != "requires3,example,sso:corp" || row.AccountID != testenv.AccountID || row.Role != testenv.RoleName {
				t.Errorf("requires3: %+v", row)
			}
			if !utc.MatchString(row.Expires) {
				t.Errorf("expires %q is not RFC 3339 in UTC", row.Expires)
			}
		case "broken":
			seen++
			if !strings.Contains(row.Error, long) || row.Chain == nil {
				t.Errorf("broken: %+v; want the whole error and an empty chain", row)
			}
		}
	}
	if seen != 2 {
		t.Fatalf("rows %+v", rows)
	}

	r = hop(t, env, "list")
	for _, line := range strings.Split(strings.TrimRight(r.stdout, "\n"), "\n") {
		if len([]rune(line)) > 130 {
			t.Errorf("a %d-column line in the table: %q", len([]rune(line)), line)
		}
	}
	if !strings.Contains(r.stdout, "(hop explain broken)") {
		t.Errorf("the table does not say where the whole error is:\n%s", r.stdout)
	}
}

func TestListAndExplain(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, `
[profile broken]
role_arn = arn:aws:iam::123412341234:role/X
source_profile = gone

[profile loop-a]
role_arn = arn:aws:iam::123412341234:role/A
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::123412341234:role/B
source_profile = loop-a

[profile mfa-chained]
role_arn = arn:aws:iam::123412341234:role/RoleForS3
source_profile = example
mfa_serial = arn:aws:iam::123412341234:mfa/alice
`)
	env := e.Environ()
	r := hop(t, env, "list")
	if r.code != 0 || e.Calls() != 0 {
		t.Fatalf("hop list: exit %d, %d calls, stderr %q", r.code, e.Calls(), r.stderr)
	}
	for _, want := range []string{"requires3    role   requires3 <- example <- sso:corp", "example      sso    example <- sso:corp", "broken       error  ! source_profile \"gone\" not found"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("hop list does not show %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "left") {
		t.Errorf("a session is shown as cached before any exec:\n%s", r.stdout)
	}

	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	e.ResetCounts()
	var rows []struct {
		Profile, Kind, Region string
		Chain                 []string
		Expires               *string
	}
	r = hop(t, env, "list", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("hop list --json: %v\n%s", err, r.stdout)
	}
	cached := map[string]bool{}
	for _, row := range rows {
		cached[row.Profile] = row.Expires != nil
	}
	if !cached["requires3"] || !cached["example"] || cached["broken"] {
		t.Errorf("cached sessions per profile: %v", cached)
	}
	if e.Calls() != 0 {
		t.Errorf("hop list made %d network calls", e.Calls())
	}

	r = hop(t, env, "explain", "requires3")
	for _, want := range []string{"assume role " + testenv.RoleARN, "└─ example", "role AssumeRolePolicy in account 123412341234", "sso_session        corp", "cached,", "sso token          valid"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("explain does not show %q:\n%s", want, r.stdout)
		}
	}
	r = hop(t, env, "explain", "mfa-chained")
	if !strings.Contains(r.stdout, "mfa_serial on a chained role") || strings.Contains(r.stdout, "1 hour") {
		t.Errorf("explain mfa-chained: want the mfa_serial note and no 1-hour cap, which nothing asks past:\n%s", r.stdout)
	}
	r = hop(t, env, "explain", "loop-a")
	if r.code == 0 || !strings.Contains(r.stdout, "loop-a -> loop-b -> loop-a") {
		t.Errorf("explain loop-a: exit %d\n%s", r.code, r.stdout)
	}
	r = hop(t, env, "explain", "broken")
	if r.code == 0 || !strings.Contains(r.stdout, "gone (missing)") {
		t.Errorf("explain broken: exit %d\n%s", r.code, r.stdout)
	}
	if e.Calls() != 0 {
		t.Errorf("explain made %d network calls", e.Calls())
	}
}

// TestExplainChainedRoleCap: explain speaks of STS's 1-hour cap on a
// chained role only when the role asks for more, and then refuses it; a
// chained role asking for nothing gets no note about it.
func TestExplainChainedRoleCap(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	if err := os.WriteFile(config, []byte(`[profile base]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
[profile first]
role_arn = arn:aws:iam::123412341234:role/First
source_profile = base
[profile second]
role_arn = arn:aws:iam::123412341234:role/Second
source_profile = first
[profile hour]
role_arn = arn:aws:iam::123412341234:role/Second
source_profile = first
duration_seconds = 3600
[profile long]
role_arn = arn:aws:iam::123412341234:role/Second
source_profile = first
duration_seconds = 7200
`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "AWS_CONFIG_FILE=" + config, "HOP_BACKEND=file", "HOP_FILE_DIR=" + filepath.Join(dir, "keys")}
	for _, profile := range []string{"second", "hour"} {
		r := hop(t, env, "explain", profile)
		if r.code != 0 || strings.Contains(r.stdout, "1 hour") || strings.Contains(r.stdout, "caps") {
			t.Errorf("hop explain %s: exit %d; want no note of a cap nothing asks past:\n%s", profile, r.code, r.stdout)
		}
	}
	r := hop(t, env, "explain", "long")
	if r.code != 1 || !strings.Contains(r.stdout, "duration_seconds = 7200 asks for more than the 1 hour STS allows") {
		t.Errorf("hop explain long: exit %d; want the 1-hour cap named:\n%s", r.code, r.stdout)
	}
}
