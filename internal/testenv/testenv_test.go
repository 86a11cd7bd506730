//go:build e2e

package testenv_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// runAWS runs the real aws CLI (v1) in e's environment plus extra.
func runAWS(t *testing.T, e *testenv.Env, extra []string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "aws", args...)
	cmd.Env = append(e.Environ(), extra...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

func keysEnv(k testenv.Keys) []string {
	return []string{
		"AWS_ACCESS_KEY_ID=" + k.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + k.SecretAccessKey,
		"AWS_DEFAULT_REGION=" + testenv.Region,
	}
}

func TestHomeConfigAndEnviron(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAOUTSIDE")
	t.Setenv("AWS_PROFILE", "outside")
	e := testenv.Start(t)

	for path, want := range map[string]os.FileMode{e.Home: 0o700, filepath.Dir(e.ConfigFile): 0o700, e.ConfigFile: 0o600} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s has mode %o, want %o", path, got, want)
		}
	}
	e.AppendConfig(t, "[profile extra]\nregion = eu-west-1")
	got, err := os.ReadFile(e.ConfigFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), testenv.Config) || !strings.HasSuffix(string(got), "[profile extra]\nregion = eu-west-1\n") {
		t.Errorf("config is\n%s", got)
	}

	env := e.Environ()
	for _, kv := range env {
		if strings.HasPrefix(kv, "AWS_ACCESS_KEY_ID=") || strings.HasPrefix(kv, "AWS_PROFILE=") {
			t.Errorf("outer %s leaked into Environ", kv)
		}
	}
	for _, want := range []string{
		"HOME=" + e.Home,
		"AWS_ENDPOINT_URL=" + e.Moto.URL(),
		"AWS_ENDPOINT_URL_SSO=" + e.IDC.URL(),
		"AWS_ENDPOINT_URL_SSO_OIDC=" + e.IDC.URL(),
		"HOP_BACKEND=file",
		"HOP_NO_BROWSER=1",
	} {
		if !slices.Contains(env, want) {
			t.Errorf("Environ lacks %s", want)
		}
	}
	if e.Calls() != 0 {
		t.Errorf("Calls = %d right after Start, want 0 (setup bypasses the proxy)", e.Calls())
	}
}

// TestAWSCLISeesIAMEnforced proves, with the real aws CLI, that moto
// enforces the scenario's policies.
func TestAWSCLISeesIAMEnforced(t *testing.T) {
	e := testenv.Start(t)

	_, stderr, err := runAWS(t, e, keysEnv(e.Assumer), "s3api", "list-buckets")
	if err == nil || !strings.Contains(stderr, "AccessDenied") {
		t.Fatalf("sso-assumer listing buckets: err %v, stderr %q; want AccessDenied", err, stderr)
	}

	out, stderr, err := runAWS(t, e, keysEnv(e.Assumer), "sts", "assume-role",
		"--role-arn", testenv.RoleARN, "--role-session-name", "testenv")
	if err != nil {
		t.Fatalf("sso-assumer assuming %s: %v\n%s", testenv.RoleName, err, stderr)
	}
	var assumed struct {
		Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken string }
	}
	if err := json.Unmarshal([]byte(out), &assumed); err != nil {
		t.Fatalf("parsing assume-role output: %v", err)
	}
	c := assumed.Credentials
	out, stderr, err = runAWS(t, e, []string{
		"AWS_ACCESS_KEY_ID=" + c.AccessKeyId,
		"AWS_SECRET_ACCESS_KEY=" + c.SecretAccessKey,
		"AWS_SESSION_TOKEN=" + c.SessionToken,
		"AWS_DEFAULT_REGION=" + testenv.Region,
	}, "s3api", "list-buckets", "--query", "Buckets[].Name", "--output", "text")
	if err != nil {
		t.Fatalf("role listing buckets: %v\n%s", err, stderr)
	}
	if !slices.Contains(strings.Fields(out), testenv.Bucket) {
		t.Errorf("role listed %q, want %s among them", out, testenv.Bucket)
	}

	// A user whose policy lacks sts:AssumeRole is refused, even though
	// nothing else differs: moto checks identity policies for AssumeRole.
	_, stderr, err = runAWS(t, e, keysEnv(e.Admin), "iam", "create-user", "--user-name", "no-assume")
	if err != nil {
		t.Fatalf("admin creating a user: %v\n%s", err, stderr)
	}
	out, stderr, err = runAWS(t, e, keysEnv(e.Admin), "iam", "create-access-key", "--user-name", "no-assume")
	if err != nil {
		t.Fatalf("admin creating keys: %v\n%s", err, stderr)
	}
	var created struct {
		AccessKey struct{ AccessKeyId, SecretAccessKey string }
	}
	if err := json.Unmarshal([]byte(out), &created); err != nil {
		t.Fatal(err)
	}
	noAssume := testenv.Keys{AccessKeyID: created.AccessKey.AccessKeyId, SecretAccessKey: created.AccessKey.SecretAccessKey}
	_, stderr, err = runAWS(t, e, keysEnv(noAssume), "sts", "assume-role",
		"--role-arn", testenv.RoleARN, "--role-session-name", "testenv")
	if err == nil || !strings.Contains(stderr, "AccessDenied") {
		t.Errorf("user without sts:AssumeRole: err %v, stderr %q; want AccessDenied", err, stderr)
	}

	counts := e.Moto.Counts()
	if counts["sts:AssumeRole"] != 2 || counts["s3:GET /"] != 2 || counts["iam:CreateUser"] != 1 {
		t.Errorf("proxy counts = %v", counts)
	}
	if e.IDC.Total() != 0 {
		t.Errorf("the emulator saw %v; this test never signs in", e.IDC.Counts())
	}
}

// TestAWSCLIUsesEmulatorForSSO shows that botocore (AWS CLI v1) honours
// AWS_ENDPOINT_URL_SSO for the portal call behind an sso-session profile,
// and chains the role through moto.
func TestAWSCLIUsesEmulatorForSSO(t *testing.T) {
	e := testenv.Start(t)
	e.LoginAWSCLI(t)
	e.ResetCounts()

	// requires3 names no region, and the CLI does not take one from its
	// source profile.
	out, stderr, err := runAWS(t, e, nil, "s3api", "list-buckets", "--profile", "requires3", "--region", testenv.Region,
		"--query", "Buckets[].Name", "--output", "text")
	if err != nil {
		t.Fatalf("aws --profile requires3: %v\n%s", err, stderr)
	}
	if !slices.Contains(strings.Fields(out), testenv.Bucket) {
		t.Errorf("listed %q, want %s among them", out, testenv.Bucket)
	}
	if got := e.IDC.Counts(); got[idc.OpGetRoleCredentials] != 1 || len(got) != 1 {
		t.Errorf("emulator counts = %v, want one GetRoleCredentials and nothing else", got)
	}
	if got := e.Moto.Counts(); got["sts:AssumeRole"] != 1 || got["s3:GET /"] != 1 || len(got) != 2 {
		t.Errorf("moto counts = %v, want one AssumeRole and one ListBuckets", got)
	}
}

// TestAWSCLIRefreshesNearExpiryToken shows that botocore also honours
// AWS_ENDPOINT_URL_SSO_OIDC: a token within its 15-minute refresh window
// is refreshed at the emulator and the cache rewritten.
func TestAWSCLIRefreshesNearExpiryToken(t *testing.T) {
	e := testenv.Start(t)
	e.IDC.SetAccessTokenTTL(5 * time.Minute)
	old := e.LoginAWSCLI(t)
	e.IDC.SetAccessTokenTTL(idc.DefaultAccessTokenTTL)
	e.ResetCounts()

	if _, stderr, err := runAWS(t, e, nil, "s3api", "list-buckets", "--profile", "requires3", "--region", testenv.Region); err != nil {
		t.Fatalf("aws --profile requires3: %v\n%s", err, stderr)
	}
	if got := e.IDC.Counts(); got[idc.OpCreateToken] != 1 || got[idc.OpGetRoleCredentials] != 1 {
		t.Errorf("emulator counts = %v, want one refresh and one GetRoleCredentials", got)
	}
	now := e.ReadCLIToken(t)
	if now.AccessToken == old.AccessToken || now.RefreshToken == old.RefreshToken {
		t.Error("the cached token was not replaced by the refreshed one")
	}
	expires, err := time.Parse(time.RFC3339, now.ExpiresAt)
	if err != nil || time.Until(expires) < time.Hour {
		t.Errorf("refreshed token expires at %q (%v), want hours ahead", now.ExpiresAt, err)
	}
}

func TestStartMotoReportsWhyItDied(t *testing.T) {
	bin := t.TempDir()
	fake := "#!/bin/sh\necho 'ModuleNotFoundError: no module named flask' >&2\nexit 3\n"
	if err := os.WriteFile(filepath.Join(bin, "moto_server"), []byte(fake), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	m, err := testenv.StartMoto()
	if err == nil {
		m.Close()
		t.Fatal("StartMoto succeeded with a moto_server that exits")
	}
	if !strings.Contains(err.Error(), "no module named flask") {
		t.Errorf("error %q does not show moto's output", err)
	}
}
