//go:build e2e && unix

package e2e

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/front"
	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// childEnv parses the output of `env -0` run as hop's child.
func childEnv(t *testing.T, r result) map[string]string {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("hop exited %d: %s", r.code, r.stderr)
	}
	vars := map[string]string{}
	for _, kv := range strings.Split(r.stdout, "\x00") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	return vars
}

func TestExecScenario(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()

	// The permission set may only assume roles: listing buckets is denied
	// by moto's policy check, and the aws CLI's status comes through.
	r := hop(t, env, "exec", "example", "--", "aws", "s3api", "list-buckets")
	if r.code == 0 || !strings.Contains(r.stderr, "AccessDenied") {
		t.Fatalf("hop exec example: exit %d, stderr %q; want AccessDenied and a non-zero exit", r.code, r.stderr)
	}
	if r.code != 255 {
		t.Errorf("exit status %d, want the aws CLI's 255 passed through", r.code)
	}
	if got := e.IDC.Count(idc.OpStartDeviceAuthorization); got != 1 {
		t.Errorf("%d device authorizations, want 1", got)
	}

	r = hop(t, env, "exec", "requires3", "--", "aws", "s3api", "list-buckets", "--query", "Buckets[].Name", "--output", "text")
	if r.code != 0 || !strings.Contains(r.stdout, testenv.Bucket) {
		t.Fatalf("hop exec requires3: exit %d, stdout %q, stderr %q; want the bucket list", r.code, r.stdout, r.stderr)
	}
	if got := e.IDC.Count(idc.OpStartDeviceAuthorization); got != 1 {
		t.Errorf("%d device authorizations after the second command, want the first login reused", got)
	}

	// Warm: nothing leaves the machine, not even for a role without MFA.
	e.ResetCounts()
	vars := childEnv(t, hop(t, env, "exec", "requires3", "--", "env", "-0"))
	if n := e.Calls(); n != 0 {
		t.Errorf("warm hop exec made %d network calls (emulator %d, moto %d), want 0", n, e.IDC.Total(), e.Moto.Total())
	}
	checkChildEnv(t, vars)
}

func checkChildEnv(t *testing.T, vars map[string]string) {
	t.Helper()
	want := map[string]string{
		"AWS_REGION":         testenv.Region,
		"AWS_DEFAULT_REGION": testenv.Region,
		"HOP_PROFILE":        "requires3",
		"HOP_ROLE_ARN":       testenv.RoleARN,
		"HOP_ACCOUNT_ID":     testenv.AccountID,
	}
	for k, v := range want {
		if vars[k] != v {
			t.Errorf("child %s = %q, want %q", k, vars[k], v)
		}
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		if vars[k] == "" {
			t.Errorf("child has no %s", k)
		}
	}
	exp, err := time.Parse(time.RFC3339, vars["AWS_CREDENTIAL_EXPIRATION"])
	if err != nil || !strings.HasSuffix(vars["AWS_CREDENTIAL_EXPIRATION"], "Z") {
		t.Errorf("AWS_CREDENTIAL_EXPIRATION = %q, want RFC 3339 UTC with Z", vars["AWS_CREDENTIAL_EXPIRATION"])
	}
	if vars["AWS_SESSION_EXPIRATION"] != vars["AWS_CREDENTIAL_EXPIRATION"] {
		t.Errorf("AWS_SESSION_EXPIRATION = %q, want %q", vars["AWS_SESSION_EXPIRATION"], vars["AWS_CREDENTIAL_EXPIRATION"])
	}
	if at, err := strconv.ParseInt(vars["HOP_EXPIRES_AT"], 10, 64); err != nil || at != exp.Unix() {
		t.Errorf("HOP_EXPIRES_AT = %q, want %d", vars["HOP_EXPIRES_AT"], exp.Unix())
	}
	if _, ok := vars["HOP_FILE_PASSPHRASE"]; ok {
		t.Error("the file keyring's passphrase reached the child")
	}
}

func TestExecScrubsInheritedEnvironment(t *testing.T) {
	e := testenv.Start(t)
	env := append(e.Environ(),
		"AWS_PROFILE=example", "AWS_DEFAULT_PROFILE=example", "AWS_SECURITY_TOKEN=stale",
		"AWS_ACCESS_KEY_ID=AKIASTALE", "AWS_SECRET_ACCESS_KEY=stale", "AWS_SESSION_TOKEN=stale",
		"KEEP_ME=yes")
	vars := childEnv(t, hop(t, env, "exec", "requires3", "--", "env", "-0"))
	for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN"} {
		if _, ok := vars[k]; ok {
			t.Errorf("child still has %s", k)
		}
	}
	if vars["AWS_ACCESS_KEY_ID"] == "AKIASTALE" || vars["AWS_SESSION_TOKEN"] == "stale" {
		t.Error("child got the stale credentials from the parent")
	}
	if vars["KEEP_ME"] != "yes" || vars["AWS_ENDPOINT_URL"] == "" || vars["PATH"] == "" {
		t.Error("child lost variables that should pass through")
	}
	checkChildEnv(t, vars)
}

func TestExecRegionPrecedence(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, "[default]\nregion = sa-east-1\n\n[profile noregion]\nrole_arn = "+testenv.RoleARN+"\nsource_profile = static\n\n[profile static]\naws_access_key_id = "+e.Assumer.AccessKeyID+"\naws_secret_access_key = "+e.Assumer.SecretAccessKey)
	tests := []struct {
		name  string
		extra []string
		args  []string
		want  string
	}{
		{"nearest source profile", nil, []string{"requires3"}, testenv.Region},
		{"flag wins", []string{"AWS_REGION=us-west-1"}, []string{"--region", "eu-west-3", "requires3"}, "eu-west-3"},
		{"environment beats the profile", []string{"AWS_DEFAULT_REGION=us-west-1"}, []string{"requires3"}, "us-west-1"},
		{"[default] last", nil, []string{"noregion"}, "sa-east-1"},
		{"a region an outer hop set is not the user's", []string{"AWS_REGION=eu-north-1", "HOP_REGION=eu-north-1"}, []string{"requires3"}, testenv.Region},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"exec"}, tt.args...)
			vars := childEnv(t, hop(t, append(e.Environ(), tt.extra...), append(args, "--", "env", "-0")...))
			if vars["AWS_REGION"] != tt.want || vars["AWS_DEFAULT_REGION"] != tt.want {
				t.Errorf("AWS_REGION=%q AWS_DEFAULT_REGION=%q, want %q", vars["AWS_REGION"], vars["AWS_DEFAULT_REGION"], tt.want)
			}
		})
	}
}

// TestExecBadInput checks that configuration errors name what is wrong,
// start no child, make no network call and leave the caches as they were.
func TestExecBadInput(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	// Warm the caches first, so there is something to damage.
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("warm-up: %s", r.stderr)
	}
	e.AppendConfig(t, `
[profile typo]
role_arn = arn:aws:iam::123412341234:role/RoleForS3
source_profile = exmple

[profile loop-a]
role_arn = arn:aws:iam::123412341234:role/A
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::123412341234:role/B
source_profile = loop-a

[profile both]
role_arn = arn:aws:iam::123412341234:role/RoleForS3
source_profile = example
credential_source = Environment

[profile toolong]
role_arn = arn:aws:iam::123412341234:role/RoleForS3
source_profile = example
duration_seconds = 7200`)
	before := snapshot(t, e.Home)
	marker := filepath.Join(t.TempDir(), "child-ran")

	tests := []struct {
		profile string
		want    []string
	}{
		{"typo", []string{"profile typo:", `source_profile "exmple" not found in ` + e.ConfigFile}},
		{"nosuch", []string{`profile "nosuch" not found in ` + e.ConfigFile}},
		{"loop-a", []string{"loop: loop-a -> loop-b -> loop-a"}},
		{"both", []string{"profile both:", "both source_profile and credential_source"}},
		{"toolong", []string{"profile toolong:", "duration_seconds = 7200", "1 hour"}},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			e.ResetCounts()
			r := hop(t, env, "exec", tt.profile, "--", "touch", marker)
			if r.code == 0 {
				t.Fatal("hop exited 0")
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q does not say %q", r.stderr, w)
				}
			}
			if _, err := os.Stat(marker); err == nil {
				t.Error("the child ran")
			}
			if n := e.Calls(); n != 0 {
				t.Errorf("%d network calls before the error, want 0", n)
			}
		})
	}
	t.Run("unknown command", func(t *testing.T) {
		e.ResetCounts()
		r := hop(t, env, "exec", "requires3", "--", "no-such-command-hop")
		if r.code == 0 || !strings.Contains(r.stderr, `"no-such-command-hop" not found`) {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
		if n := e.Calls(); n != 0 {
			t.Errorf("%d network calls for a command that does not exist", n)
		}
	})
	if after := snapshot(t, e.Home); !equalSnapshots(before, after) {
		t.Errorf("caches changed by failed runs:\nbefore %v\nafter  %v", before, after)
	}
}

// snapshot maps every file under dir (except the config) to its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(path) == "config" || strings.HasSuffix(path, ".lock") {
			return err
		}
		data, err := os.ReadFile(path)
		files[path] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func equalSnapshots(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestExecSharesTheAWSCLITokenCache checks the token file hop writes is the
// CLI's own, and that a token the CLI wrote is used without a login.
func TestExecSharesTheAWSCLITokenCache(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "example", "--", "true"); r.code != 0 {
		t.Fatalf("hop exec example: %s", r.stderr)
	}
	sum := sha1.Sum([]byte(testenv.SSOSession))
	path := filepath.Join(e.Home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no token at the AWS CLI's path: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, want 0600", info.Mode().Perm())
	}
	if dir, _ := os.Stat(filepath.Dir(path)); dir.Mode().Perm() != 0o700 {
		t.Errorf("cache directory mode %v, want 0700", dir.Mode().Perm())
	}
	var tok map[string]string
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &tok); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret", "registrationExpiresAt", "refreshToken"} {
		if tok[k] == "" {
			t.Errorf("token file lacks %s", k)
		}
	}
	if tok["startUrl"] != testenv.StartURL || tok["region"] != testenv.SSORegion {
		t.Errorf("token for %s in %s", tok["startUrl"], tok["region"])
	}
	if _, err := time.Parse("2006-01-02T15:04:05Z", tok["expiresAt"]); err != nil {
		t.Errorf("expiresAt %q is not in the CLI's format", tok["expiresAt"])
	}

	// The AWS CLI (botocore) reads hop's token: no login of its own.
	e.ResetCounts()
	cli := exec.Command("aws", "s3api", "list-buckets", "--profile", "requires3", "--query", "Buckets[].Name", "--output", "text")
	// The CLI, unlike hop, does not take a region from source_profile.
	cli.Env = append(env, "AWS_DEFAULT_REGION="+testenv.Region)
	out, err := cli.CombinedOutput()
	if err != nil || !strings.Contains(string(out), testenv.Bucket) {
		t.Fatalf("aws --profile requires3 with hop's token: %v\n%s", err, out)
	}
	if n := e.IDC.Count(idc.OpCreateToken) + e.IDC.Count(idc.OpStartDeviceAuthorization); n != 0 {
		t.Errorf("the aws CLI signed in again (%d calls)", n)
	}
}

func TestExecUsesATokenTheAWSCLIWrote(t *testing.T) {
	e := testenv.Start(t)
	e.LoginAWSCLI(t)
	e.ResetCounts()
	r := hop(t, e.Environ(), "exec", "requires3", "--", "aws", "s3api", "list-buckets")
	if r.code != 0 {
		t.Fatalf("hop exec: %s", r.stderr)
	}
	for _, op := range []string{idc.OpRegisterClient, idc.OpStartDeviceAuthorization, idc.OpCreateToken} {
		if n := e.IDC.Count(op); n != 0 {
			t.Errorf("%s called %d times; the CLI's token should have been used", op, n)
		}
	}
	if n := e.IDC.Count(idc.OpGetRoleCredentials); n != 1 {
		t.Errorf("GetRoleCredentials called %d times, want 1", n)
	}
}

// TestExecRefreshesANearlyExpiredToken: within 15 minutes of expiry the
// refresh token is used, with no new login.
func TestExecRefreshesANearlyExpiredToken(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "example", "--", "true"); r.code != 0 {
		t.Fatalf("first run: %s", r.stderr)
	}
	sum := sha1.Sum([]byte(testenv.SSOSession))
	path := filepath.Join(e.Home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
	var tok map[string]string
	data, _ := os.ReadFile(path)
	json.Unmarshal(data, &tok)
	old := tok["accessToken"]
	tok["expiresAt"] = time.Now().Add(10 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")
	data, _ = json.Marshal(tok)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	// A fresh keyring, so the role credentials must be fetched again.
	env = append(env, "HOP_FILE_DIR="+t.TempDir())
	e.ResetCounts()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("second run: %s", r.stderr)
	}
	if n := e.IDC.Count(idc.OpCreateToken); n != 1 {
		t.Errorf("CreateToken called %d times, want 1 refresh", n)
	}
	if n := e.IDC.Count(idc.OpStartDeviceAuthorization); n != 0 {
		t.Errorf("a new login started (%d device authorizations); want a refresh", n)
	}
	data, _ = os.ReadFile(path)
	json.Unmarshal(data, &tok)
	if tok["accessToken"] == old {
		t.Error("the cached token was not replaced by the refreshed one")
	}
}

// TestExecOpensTheBrowser plays the user: BROWSER is a script that visits
// the URL it is given and follows redirects, which approves the sign-in at
// the emulator. With a browser hop uses the PKCE flow; with
// --use-device-code it opens the verification page and prints the code.
func TestExecOpensTheBrowser(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		page string
	}{
		{"pkce", nil, "/authorize?"},
		{"device code", []string{"--use-device-code"}, "/device?user_code="},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := testenv.Start(t)
			e.IDC.SetAutoApprove(false)
			browser := filepath.Join(t.TempDir(), "browser")
			visited := browser + ".visited"
			script := fmt.Sprintf("#!/bin/sh\necho \"$1\" > %q\nexec curl -fsSL \"$1\" >/dev/null\n", visited)
			if err := os.WriteFile(browser, []byte(script), 0o700); err != nil {
				t.Fatal(err)
			}
			var env []string
			for _, kv := range e.Environ() {
				if !strings.HasPrefix(kv, "HOP_NO_BROWSER=") {
					env = append(env, kv)
				}
			}
			env = append(env, "BROWSER="+browser)
			r := hop(t, env, append(append([]string{"exec"}, tt.args...), "example", "--", "true")...)
			if r.code != 0 {
				t.Fatalf("hop exec: %s", r.stderr)
			}
			url, err := os.ReadFile(visited)
			if err != nil {
				t.Fatal("the browser was not opened")
			}
			if !strings.HasPrefix(string(url), e.IDC.URL()+tt.page) {
				t.Errorf("the browser opened %q, want the emulator's %s page", url, tt.page)
			}
			if tt.page == "/device?user_code=" && !strings.Contains(r.stderr, strings.TrimSpace(string(url))) {
				t.Errorf("stderr %q does not show the URL the browser opened", r.stderr)
			}
		})
	}
}

func TestExecChildStatusAndArguments(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "sh", "-c", "exit 7"); r.code != 7 {
		t.Errorf("exit status %d, want 7", r.code)
	}
	odd := []string{"a b", "$HOME", "`x`", "--region", "-", "", "ünï"}
	r := hop(t, env, append([]string{"exec", "requires3", "--", "printf", "%s\\n"}, odd...)...)
	if r.code != 0 || r.stdout != strings.Join(odd, "\n")+"\n" {
		t.Errorf("arguments reached the child as %q", r.stdout)
	}
}

// TestExecNested: a hop exec inside a hop environment resolves its own
// profile from config, not from the outer credentials.
func TestExecNested(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	var pass string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "HOP_FILE_PASSPHRASE="); ok {
			pass = v
		}
	}
	// The outer hop strips the passphrase from its child; the inner one
	// gets it back the way a user would supply it.
	env = append(env, "OUTER_PASS="+pass)
	inner := fmt.Sprintf("HOP_FILE_PASSPHRASE=$OUTER_PASS exec %s exec example -- env -0", hopBin)
	vars := childEnv(t, hop(t, env, "exec", "requires3", "--", "sh", "-c", inner))
	if vars["HOP_PROFILE"] != "example" || vars["HOP_ROLE_ARN"] != "" || vars["AWS_REGION"] != testenv.Region {
		t.Errorf("inner environment: HOP_PROFILE=%q HOP_ROLE_ARN=%q AWS_REGION=%q", vars["HOP_PROFILE"], vars["HOP_ROLE_ARN"], vars["AWS_REGION"])
	}
	if vars["AWS_ACCESS_KEY_ID"] != e.Assumer.AccessKeyID {
		t.Error("the inner hop did not switch to the example profile's credentials")
	}
}

func TestExecSources(t *testing.T) {
	e := testenv.Start(t)
	dir := t.TempDir()
	process := filepath.Join(dir, "creds.sh")
	// The sources hand out sso-assumer's keys: RoleForS3 trusts that user.
	k := e.Assumer
	script := fmt.Sprintf("#!/bin/sh\nprintf '{\"Version\":1,\"AccessKeyId\":\"%s\",\"SecretAccessKey\":\"%s\"}'\n", k.AccessKeyID, k.SecretAccessKey)
	if err := os.WriteFile(process, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	creds := fmt.Sprintf("[keys]\naws_access_key_id = %s\naws_secret_access_key = %s\n", k.AccessKeyID, k.SecretAccessKey)
	if err := os.WriteFile(filepath.Join(e.Home, ".aws", "credentials"), []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	e.AppendConfig(t, fmt.Sprintf(`
[profile from-keys]
role_arn = %[1]s
source_profile = keys

[profile self]
role_arn = %[1]s
source_profile = self
aws_access_key_id = %[2]s
aws_secret_access_key = %[3]s

[profile proc]
credential_process = %[4]s

[profile from-proc]
role_arn = %[1]s
source_profile = proc
role_session_name = from-proc-session

[profile from-env]
role_arn = %[1]s
credential_source = Environment

[profile three]
role_arn = %[1]s
source_profile = requires3
`, testenv.RoleARN, k.AccessKeyID, k.SecretAccessKey, process))

	list := []string{"--", "aws", "s3api", "list-buckets", "--query", "Buckets[].Name", "--output", "text"}
	for _, tt := range []struct {
		profile string
		extra   []string
	}{
		{profile: "from-keys"},
		{profile: "self"},
		{profile: "from-proc"},
		{profile: "from-env", extra: []string{"AWS_ACCESS_KEY_ID=" + k.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + k.SecretAccessKey}},
	} {
		t.Run(tt.profile, func(t *testing.T) {
			r := hop(t, append(e.Environ(), tt.extra...), append([]string{"exec", tt.profile}, list...)...)
			if r.code != 0 || !strings.Contains(r.stdout, testenv.Bucket) {
				t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
		})
	}
	t.Run("credential_process alone", func(t *testing.T) {
		vars := childEnv(t, hop(t, e.Environ(), "exec", "proc", "--", "env", "-0"))
		if vars["AWS_ACCESS_KEY_ID"] != k.AccessKeyID || vars["HOP_PROFILE"] != "proc" {
			t.Errorf("child got key %q for profile %q, want the process's", vars["AWS_ACCESS_KEY_ID"], vars["HOP_PROFILE"])
		}
	})
	t.Run("role session name", func(t *testing.T) {
		r := hop(t, e.Environ(), "exec", "--region", "us-east-1", "from-proc", "--", "aws", "sts", "get-caller-identity", "--query", "Arn", "--output", "text")
		if !strings.Contains(r.stdout, "assumed-role/"+testenv.RoleName+"/from-proc-session") {
			t.Errorf("caller %q (stderr %q), want the configured session name", r.stdout, r.stderr)
		}
	})
	t.Run("role to role to role", func(t *testing.T) {
		// RoleForS3 does not trust its own sessions: the third hop is
		// denied by moto, and the message says who tried what, from the
		// chain: STS's answer to a request carrying a session token is
		// not quoted.
		r := hop(t, e.Environ(), "exec", "three", "--", "true")
		if r.code == 0 {
			t.Fatal("assuming RoleForS3 from itself succeeded; moto's trust check is off")
		}
		for _, w := range []string{"profile three:", "not allowed to assume " + testenv.RoleARN, "profile requires3, a session of " + testenv.RoleARN, "trust policy"} {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("stderr %q does not mention %q", r.stderr, w)
			}
		}
	})
}

func TestExecMFA(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, "[profile mfa]\nrole_arn = "+testenv.RoleARN+"\nsource_profile = example\nmfa_serial = arn:aws:iam::123412341234:mfa/alice\n")
	marker := filepath.Join(t.TempDir(), "ran")
	// No terminal here (setsid detaches it), so without the flag hop must
	// say how to give the code, and start nothing.
	cmd := exec.Command("setsid", hopBin, "exec", "mfa", "--", "touch", marker)
	cmd.Env = e.Environ()
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--mfa-token") {
		t.Errorf("without a terminal: err %v, output %q; want a hint about --mfa-token", err, out)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the child ran without MFA")
	}
	e.ResetCounts()
	r := hop(t, e.Environ(), "exec", "--mfa-token", "123456", "mfa", "--", "touch", marker)
	if r.code != 0 {
		t.Fatalf("with --mfa-token: %s", r.stderr)
	}
	if e.Moto.Count("sts:AssumeRole") != 1 {
		t.Errorf("AssumeRole called %d times", e.Moto.Count("sts:AssumeRole"))
	}
	// The session is cached: no second prompt, no second call.
	e.ResetCounts()
	if r := hop(t, e.Environ(), "exec", "mfa", "--", "true"); r.code != 0 || e.Calls() != 0 {
		t.Errorf("warm MFA role: exit %d, %d calls, stderr %q", r.code, e.Calls(), r.stderr)
	}
}

func TestExecWebIdentity(t *testing.T) {
	e := testenv.Start(t)
	e.WithoutIAMAuth(t)
	token := filepath.Join(t.TempDir(), "token")
	// moto accepts any token; STS would check it against the role's
	// identity provider.
	if err := os.WriteFile(token, []byte("eyJhbGciOiJub25lIn0.eyJzdWIiOiJjaSJ9."), 0o600); err != nil {
		t.Fatal(err)
	}
	e.AppendConfig(t, "[profile ci]\nrole_arn = "+testenv.RoleARN+"\nweb_identity_token_file = "+token+"\nrole_session_name = ci-job\nregion = us-east-1\n")
	r := hop(t, e.Environ(), "exec", "ci", "--", "aws", "sts", "get-caller-identity", "--query", "Arn", "--output", "text")
	if r.code != 0 || !strings.Contains(r.stdout, "assumed-role/"+testenv.RoleName+"/ci-job") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	e.ResetCounts()
	if r := hop(t, e.Environ(), "exec", "ci", "--", "true"); r.code != 0 || e.Calls() != 0 {
		t.Errorf("warm web identity: exit %d, %d calls", r.code, e.Calls())
	}
}

// TestExecLegacySSO: the legacy form keys the token cache by the start URL.
func TestExecLegacySSO(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, "[profile legacy]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = "+testenv.AccountID+"\nsso_role_name = "+testenv.PermissionSet+"\n\n[profile legacy-s3]\nrole_arn = "+testenv.RoleARN+"\nsource_profile = legacy\nregion = us-east-1\n")
	r := hop(t, e.Environ(), "exec", "legacy-s3", "--", "aws", "s3api", "list-buckets", "--query", "Buckets[].Name", "--output", "text")
	if r.code != 0 || !strings.Contains(r.stdout, testenv.Bucket) {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	sum := sha1.Sum([]byte("https://legacy.awsapps.com/start"))
	if _, err := os.Stat(filepath.Join(e.Home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")); err != nil {
		t.Errorf("no token under the SHA-1 of the start URL: %v", err)
	}
}

// TestExecContainerCredentials: credential_source = EcsContainer reads the
// container endpoint the task's variables name (here a local stand-in
// serving sso-assumer's keys, which may assume RoleForS3).
func TestExecContainerCredentials(t *testing.T) {
	e := testenv.Start(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "task-token" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{
			"AccessKeyId": e.Assumer.AccessKeyID, "SecretAccessKey": e.Assumer.SecretAccessKey,
			"Expiration": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		})
	}))
	defer srv.Close()
	e.AppendConfig(t, "[profile task]\nrole_arn = "+testenv.RoleARN+"\ncredential_source = EcsContainer\nregion = us-east-1\n")
	env := append(e.Environ(), "AWS_CONTAINER_CREDENTIALS_FULL_URI="+srv.URL+"/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN=task-token")
	r := hop(t, env, "exec", "task", "--", "aws", "s3api", "list-buckets", "--query", "Buckets[].Name", "--output", "text")
	if r.code != 0 || !strings.Contains(r.stdout, testenv.Bucket) {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// A fresh keyring, so the cached role session doesn't answer.
	r = hop(t, append(e.Environ(), "HOP_FILE_DIR="+t.TempDir()), "exec", "task", "--", "true")
	if r.code == 0 || !strings.Contains(r.stderr, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
		t.Errorf("without the container variables: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestFrontServesWarmExecAsCore: a warm exec that the front serves alone (a
// copy of it with no hop-core beside it, so it cannot hand over) gives the
// child exactly the environment hop-core gives it, whatever region the
// environment holds.
func TestFrontServesWarmExecAsCore(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("cold run: %s", r.stderr)
	}
	bin, err := os.ReadFile(hopBin)
	if err != nil {
		t.Fatal(err)
	}
	alone := filepath.Join(t.TempDir(), "hop")
	if err := os.WriteFile(alone, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	core := filepath.Join(filepath.Dir(hopBin), filepath.FromSlash(front.CorePath))
	for _, extra := range [][]string{
		nil,
		{"AWS_REGION=eu-west-2"},
		// An outer hop's region, which a nested exec replaces.
		{"AWS_REGION=us-west-1", "AWS_DEFAULT_REGION=us-west-1", "HOP_REGION=us-west-1", "HOP_PROFILE=example"},
	} {
		env := setenv(env, extra...)
		fromFront := childEnv(t, runBin(t, alone, env, "exec", "requires3", "--", "env", "-0"))
		fromCore := childEnv(t, runBin(t, core, env, "exec", "requires3", "--", "env", "-0"))
		if !maps.Equal(fromFront, fromCore) {
			t.Errorf("with %q the front gives the child\n%v\nand hop-core\n%v", extra, fromFront, fromCore)
		}
	}
	// What the front cannot serve it hands over; alone, it cannot.
	if r := runBin(t, alone, env, "exec", "nosuch", "--", "true"); r.code == 0 || !strings.Contains(r.stderr, "hop-core") {
		t.Errorf("a lone front asked for a missing profile: exit %d, stderr %q; want it to name the missing hop-core", r.code, r.stderr)
	}
}

// TestNestedHopGetsNoOuterCredentials runs a hop inside a hop's child:
// the inner child must hold nothing of the outer session.
func TestNestedHopGetsNoOuterCredentials(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	outer := roleSecrets(t, env)
	pass := getenv(env, "HOP_FILE_PASSPHRASE")
	inner := fmt.Sprintf(`HOP_FILE_PASSPHRASE="$OUTER_PASS" exec %s exec example -- env -0`, hopBin)
	r := hop(t, append(env, "OUTER_PASS="+pass), "exec", "requires3", "--", "sh", "-c", inner)
	vars := childEnv(t, r)
	if vars["HOP_PROFILE"] != "example" {
		t.Fatalf("inner HOP_PROFILE = %q", vars["HOP_PROFILE"])
	}
	for k, v := range vars {
		for name, secret := range outer {
			if strings.Contains(v, secret) {
				t.Errorf("the inner child's %s holds the outer %s", k, name)
			}
		}
	}
	// The SSO role's keys are long-term: the inner session has no token,
	// so none may be left over from the outer one.
	if tok, ok := vars["AWS_SESSION_TOKEN"]; ok {
		t.Errorf("the inner child has AWS_SESSION_TOKEN=%.8s…", tok)
	}
}

// TestExecExitCodes: the shell's statuses for a command that cannot run,
// the profile checked before the command, and the front (handing over)
// and hop-core answering alike.
func TestExecExitCodes(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("warming the cache: %s", r.stderr)
	}
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, []byte("echo hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage")
	if err := os.WriteFile(garbage, []byte{0, 1, 2, 3, 0xff, 0xfe}, 0o755); err != nil {
		t.Fatal(err)
	}
	core := filepath.Join(filepath.Dir(hopBin), filepath.FromSlash(front.CorePath))
	for _, c := range []struct {
		name string
		args []string
		code int
		says string
	}{
		{"a command where the profile goes", []string{"exec", "aws", "sts", "get-caller-identity"}, 1, `profile "aws" not found`},
		{"a command not found", []string{"exec", "requires3", "--", "no-such-command-hop"}, 127, `command "no-such-command-hop" not found`},
		{"a file that is not executable", []string{"exec", "requires3", "--", plain}, 126, "cannot run " + plain},
		{"a directory", []string{"exec", "requires3", "--", dir}, 126, "cannot run " + dir},
		{"a file the kernel cannot run", []string{"exec", "requires3", garbage}, 126, "cannot run " + garbage},
	} {
		t.Run(c.name, func(t *testing.T) {
			fromFront := runBin(t, hopBin, env, c.args...)
			fromCore := runBin(t, core, env, c.args...)
			for _, r := range []result{fromFront, fromCore} {
				if r.code != c.code || !strings.Contains(r.stderr, c.says) {
					t.Errorf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, c.code, c.says)
				}
			}
			if fromFront != fromCore {
				t.Errorf("the front gives %+v, hop-core %+v", fromFront, fromCore)
			}
		})
	}
}

// TestMFACodeCheckedBeforeAnyCall: a malformed --mfa-token fails naming
// the flag, before a sign-in or any call to STS.
func TestMFACodeCheckedBeforeAnyCall(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, "[profile mfa]\nrole_arn = "+testenv.RoleARN+"\nsource_profile = example\nmfa_serial = arn:aws:iam::123412341234:mfa/alice\n")
	marker := filepath.Join(t.TempDir(), "ran")
	for _, code := range []string{"abcdef", "12345", "1234567", "12 456"} {
		e.ResetCounts()
		r := hop(t, e.Environ(), "exec", "--mfa-token", code, "mfa", "--", "touch", marker)
		failed(t, r, "--mfa-token", "six digits")
		if n := e.Calls(); n != 0 {
			t.Errorf("--mfa-token %q: %d calls (emulator %v, moto %v), want none", code, n, e.IDC.Counts(), e.Moto.Counts())
		}
	}
	if ran(marker) {
		t.Error("a child ran")
	}
}
