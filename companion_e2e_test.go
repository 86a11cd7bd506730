package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// withBrowser replaces HOP_NO_BROWSER with a BROWSER that follows the URL
// with curl, as a signed-in user's browser would.
func withBrowser(t *testing.T, env []string) []string {
	t.Helper()
	browser := filepath.Join(t.TempDir(), "browser")
	if err := os.WriteFile(browser, []byte("#!/bin/sh\nexec curl -fsSL \"$1\" >/dev/null\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "HOP_NO_BROWSER=") {
			out = append(out, kv)
		}
	}
	return append(out, "BROWSER="+browser)
}

func TestLoginWithDeviceCode(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	r := hop(t, env, "login", "requires3", "--use-device-code")
	if r.code != 0 {
		t.Fatalf("hop login: %s", r.stderr)
	}
	if !strings.Contains(r.stderr, "confirm the code") || e.IDC.Count(idc.OpStartDeviceAuthorization) != 1 {
		t.Errorf("no device-code sign-in: stderr %q, counts %v", r.stderr, e.IDC.Counts())
	}
	if e.Moto.Total() != 0 || e.IDC.Count(idc.OpGetRoleCredentials) != 0 {
		t.Error("login fetched role credentials; it should only sign in")
	}
	token := e.ReadCLIToken(t)
	if token.AccessToken == "" || token.RefreshToken == "" {
		t.Errorf("token cache after login: %+v", token)
	}

	// Signed in already: nothing to do.
	e.ResetCounts()
	if r := hop(t, env, "login", "--sso-session", testenv.SSOSession); r.code != 0 || e.Calls() != 0 {
		t.Errorf("second login: exit %d, %d calls, stderr %q", r.code, e.Calls(), r.stderr)
	}
	// --force signs in again.
	if r := hop(t, env, "login", "example", "--force"); r.code != 0 || e.IDC.Count(idc.OpStartDeviceAuthorization) != 1 {
		t.Errorf("forced login: exit %d, counts %v", r.code, e.IDC.Counts())
	}
	if r := hop(t, env, "login", "nosuch"); r.code == 0 || !strings.Contains(r.stderr, `profile "nosuch" not found`) {
		t.Errorf("login to a missing profile: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestLoginWithPKCE plays the browser: it follows the authorize URL to the
// emulator, which redirects to hop's loopback listener with the code.
func TestLoginWithPKCE(t *testing.T) {
	e := testenv.Start(t)
	env := withBrowser(t, e.Environ())
	r := hop(t, env, "login", "example")
	if r.code != 0 {
		t.Fatalf("hop login: %s", r.stderr)
	}
	if e.IDC.Count(idc.OpAuthorize) != 1 || e.IDC.Count(idc.OpStartDeviceAuthorization) != 0 {
		t.Errorf("want the authorization-code flow, counts %v", e.IDC.Counts())
	}
	if strings.Contains(r.stderr, "confirm the code") {
		t.Errorf("a device code was shown in the PKCE flow: %q", r.stderr)
	}

	// botocore takes hop's token: the AWS CLI runs without a login.
	e.ResetCounts()
	cli := exec.Command("aws", "s3api", "list-buckets", "--profile", "requires3", "--query", "Buckets[].Name", "--output", "text")
	cli.Env = append(e.Environ(), "AWS_DEFAULT_REGION="+testenv.Region)
	out, err := cli.CombinedOutput()
	if err != nil || !strings.Contains(string(out), testenv.Bucket) {
		t.Fatalf("aws --profile requires3 after hop login: %v\n%s", err, out)
	}
	if n := e.IDC.Count(idc.OpStartDeviceAuthorization) + e.IDC.Count(idc.OpAuthorize); n != 0 {
		t.Errorf("the AWS CLI signed in again")
	}
}

// hostileProcess writes a credential_process whose values would run code
// if an export format quoted them badly. They are printable: hop refuses a
// control character, a newline included, where credentials enter
// (TestCredentialsWithControlsAreRefused).
func hostileProcess(t *testing.T, dir, marker string) (script string, values map[string]string) {
	t.Helper()
	values = map[string]string{
		"AWS_ACCESS_KEY_ID":     "AKIA'$(touch " + marker + ")'`touch " + marker + "`",
		"AWS_SECRET_ACCESS_KEY": "s\"e$HOME\\n\\\\c'r\"e;t;touch " + marker + ";#",
		"AWS_SESSION_TOKEN":     "tok%s%%{}$(id)`'\"\\",
	}
	doc, _ := json.Marshal(map[string]any{
		"Version": 1, "AccessKeyId": values["AWS_ACCESS_KEY_ID"], "SecretAccessKey": values["AWS_SECRET_ACCESS_KEY"],
		"SessionToken": values["AWS_SESSION_TOKEN"], "Expiration": "2099-01-01T00:00:00Z",
	})
	script = filepath.Join(dir, "hostile.sh")
	data := fmt.Sprintf("#!/bin/sh\ncat <<'JSON'\n%s\nJSON\n", doc)
	if err := os.WriteFile(script, []byte(data), 0o700); err != nil {
		t.Fatal(err)
	}
	return script, values
}

// TestExportQuotingInRealShells evaluates each format in the shell it is
// for and checks every value arrives verbatim, with nothing executed.
func TestExportQuotingInRealShells(t *testing.T) {
	e := testenv.Start(t)
	dir := t.TempDir()
	marker := filepath.Join(dir, "pwned")
	script, values := hostileProcess(t, dir, marker)
	profile := "evil'$(touch " + marker + ")`x`"
	// Quoted, as the AWS CLI splits a header like a shell: bare, its
	// unclosed ' would make the section no profile at all.
	e.AppendConfig(t, "[profile \""+profile+"\"]\ncredential_process = "+script+"\n")
	values["HOP_PROFILE"] = profile

	names := []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "HOP_PROFILE"}
	shells := []struct {
		format, shell, print string
	}{
		{"env", "sh", `printf '%s\0' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$HOP_PROFILE"`},
		{"env", "bash", `printf '%s\0' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$HOP_PROFILE"`},
		{"env", "zsh", `printf '%s\0' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$HOP_PROFILE"`},
		{"env-no-export", "bash", `printf '%s\0' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$HOP_PROFILE"`},
		{"fish", "fish", `printf '%s\0' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$HOP_PROFILE"`},
	}
	for _, sh := range shells {
		t.Run(sh.format+"/"+sh.shell, func(t *testing.T) {
			if _, err := exec.LookPath(sh.shell); err != nil {
				t.Fatalf("%s is not installed (.ci/run installs it)", sh.shell)
			}
			r := hop(t, e.Environ(), "export", "--format", sh.format, profile)
			if r.code != 0 {
				t.Fatalf("hop export: %s", r.stderr)
			}
			exportFile := filepath.Join(dir, "export."+sh.format)
			if err := os.WriteFile(exportFile, []byte(r.stdout), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(sh.shell, "-c", "source "+exportFile+" 2>/dev/null || . "+exportFile+"; "+sh.print)
			if sh.shell == "sh" {
				cmd = exec.Command("sh", "-c", ". "+exportFile+"; "+sh.print)
			}
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s evaluating the export: %v", sh.shell, err)
			}
			got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
			for i, name := range names {
				if i >= len(got) || got[i] != values[name] {
					t.Errorf("%s: %s = %q, want %q", sh.shell, name, at(got, i), values[name])
				}
			}
			if _, err := os.Stat(marker); err == nil {
				t.Fatal("a hostile value ran code")
			}
		})
	}
	t.Run("json and process", func(t *testing.T) {
		var vars map[string]string
		if err := json.Unmarshal([]byte(hop(t, e.Environ(), "export", "-f", "json", profile).stdout), &vars); err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			if vars[name] != values[name] {
				t.Errorf("json %s = %q", name, vars[name])
			}
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(hop(t, e.Environ(), "export", "-f", "process", profile).stdout), &doc); err != nil {
			t.Fatal(err)
		}
		if doc["Version"] != float64(1) || doc["SecretAccessKey"] != values["AWS_SECRET_ACCESS_KEY"] || doc["Expiration"] != "2099-01-01T00:00:00Z" {
			t.Errorf("process document %v", doc)
		}
	})
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "<missing>"
}

// TestExportOrder: the CLI's variables in `aws configure export-credentials`
// order, then the rest of what exec's child gets.
func TestExportOrder(t *testing.T) {
	e := testenv.Start(t)
	r := hop(t, e.Environ(), "export", "requires3")
	if r.code != 0 {
		t.Fatalf("hop export: %s", r.stderr)
	}
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		name, _, _ := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		names = append(names, name)
	}
	want := "AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_SESSION_EXPIRATION AWS_REGION AWS_DEFAULT_REGION HOP_REGION HOP_PROFILE HOP_ROLE_ARN HOP_ACCOUNT_ID HOP_EXPIRES_AT"
	if strings.Join(names, " ") != want {
		t.Errorf("variables %v, want %s", names, want)
	}
	if strings.Contains(r.stderr, "AKIA") || strings.Contains(r.stderr, "ASIA") {
		t.Error("stderr shows a key")
	}
}

// TestCredentialProcessInterop: the AWS CLI runs hop as its
// credential_process, and hop serves the second call from its cache. With
// no terminal hop does not sign in itself: hop login comes first.
func TestCredentialProcessInterop(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, "[profile via-hop]\ncredential_process = "+hopBin+" export --format process requires3\nregion = "+testenv.Region+"\n")
	if r := hop(t, e.Environ(), "login", "requires3"); r.code != 0 {
		t.Fatalf("hop login: %s", r.stderr)
	}
	for i := range 2 {
		e.ResetCounts()
		cli := exec.Command("aws", "s3api", "list-buckets", "--profile", "via-hop", "--query", "Buckets[].Name", "--output", "text")
		cli.Env = e.Environ()
		out, err := cli.CombinedOutput()
		if err != nil || !strings.Contains(string(out), testenv.Bucket) {
			t.Fatalf("run %d: aws --profile via-hop: %v\n%s", i, err, out)
		}
		if i == 1 && (e.IDC.Total() != 0 || e.Moto.Count("sts:AssumeRole") != 0) {
			t.Errorf("second run re-fetched credentials: idc %v, moto %v", e.IDC.Counts(), e.Moto.Counts())
		}
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

func TestClear(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := hop(t, env, "clear", "requires3")
	if r.code != 0 || !strings.Contains(r.stderr, "removed 1 cached session") {
		t.Fatalf("hop clear requires3: exit %d, stderr %q", r.code, r.stderr)
	}
	// requires3 is assumed again; example's session is still cached.
	e.ResetCounts()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if e.Moto.Count("sts:AssumeRole") != 1 || e.IDC.Total() != 0 {
		t.Errorf("after clear requires3: moto %v, idc %v", e.Moto.Counts(), e.IDC.Counts())
	}

	r = hop(t, env, "clear", "--sso")
	if r.code != 0 || e.IDC.Count(idc.OpLogout) != 1 {
		t.Fatalf("hop clear --sso: exit %d, stderr %q, counts %v", r.code, r.stderr, e.IDC.Counts())
	}
	if _, err := os.Stat(e.CLITokenPath()); err == nil {
		t.Error("the SSO token is still cached")
	}
	e.ResetCounts()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if e.IDC.Count(idc.OpStartDeviceAuthorization) != 1 {
		t.Errorf("after clear --sso, want a new sign-in: %v", e.IDC.Counts())
	}
}

func TestConsole(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, "[profile keys]\naws_access_key_id = "+e.Assumer.AccessKeyID+"\naws_secret_access_key = "+e.Assumer.SecretAccessKey+"\n")
	env := append(e.Environ(), "AWS_ENDPOINT_URL_SIGNIN="+e.IDC.URL())
	r := hop(t, env, "console", "requires3", "--service", "s3", "--print")
	if r.code != 0 {
		t.Fatalf("hop console: %s", r.stderr)
	}
	url := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(url, e.IDC.URL()+"/federation?") || !strings.Contains(url, "Action=login") {
		t.Fatalf("sign-in URL %q", url)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got, want := resp.Header.Get("Location"), "https://console.aws.amazon.com/s3/home?region="+testenv.Region; got != want {
		t.Errorf("the sign-in lands on %q, want %q", got, want)
	}
	if e.IDC.Count(idc.OpGetSigninToken) != 1 {
		t.Errorf("getSigninToken called %d times", e.IDC.Count(idc.OpGetSigninToken))
	}
	r = hop(t, env, "console", "keys", "--print")
	if r.code == 0 || !strings.Contains(r.stderr, "temporary credentials") {
		t.Errorf("console with long-term keys: exit %d, stderr %q", r.code, r.stderr)
	}
}
