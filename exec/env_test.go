package exec

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// outer is what a shell started by an outer hop exec looks like, plus the
// user's own variables and hop's passphrase.
var outer = []string{
	"PATH=/usr/bin:/bin",
	"AWS_PROFILE=outer",
	"AWS_DEFAULT_PROFILE=outer",
	"AWS_ACCESS_KEY_ID=ASIAOUTER",
	"AWS_SECRET_ACCESS_KEY=outer-secret",
	"AWS_SESSION_TOKEN=outer-token",
	"AWS_SECURITY_TOKEN=outer-token",
	"AWS_CREDENTIAL_EXPIRATION=2000-01-01T00:00:00Z",
	"AWS_SESSION_EXPIRATION=2000-01-01T00:00:00Z",
	"AWS_REGION=eu-north-1",
	"AWS_DEFAULT_REGION=eu-north-1",
	"AWS_ENDPOINT_URL=http://127.0.0.1:5000",
	"HOP_FILE_PASSPHRASE=hunter2",
	"HOP_PROFILE=outer",
	"HOP_ROLE_ARN=arn:aws:iam::111111111111:role/Outer",
	"HOP_ACCOUNT_ID=111111111111",
	"HOP_EXPIRES_AT=946684800",
	"HOP_REGION=eu-north-1",
	"HOP_BACKEND=file",
	"AWS_VAULT=outer",
	"AWS_ACCESS_KEY_ID=ASIAOUTER2", // a name twice: both go
	"NOEQUALS",
	"EMPTY=",
	"MULTI=a=b=c",
}

func envMap(t *testing.T, env []string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		if _, dup := m[name]; dup {
			t.Errorf("%s is set twice in %q", name, env)
		}
		m[name] = value
	}
	return m
}

func TestEnvironReplacesTheOuterSession(t *testing.T) {
	exp := time.Date(2030, 5, 6, 7, 8, 9, 0, time.FixedZone("CEST", 2*3600))
	env := Environ(outer, Session{
		Profile: "inner", AccessKeyID: "ASIAINNER", SecretAccessKey: "inner-secret", SessionToken: "inner-token",
		Expires: exp, Region: "ap-northeast-1", RoleARN: "arn:aws:iam::222222222222:role/Inner", AccountID: "222222222222",
	})
	got := envMap(t, env)
	want := map[string]string{
		"PATH":                      "/usr/bin:/bin",
		"AWS_ENDPOINT_URL":          "http://127.0.0.1:5000",
		"HOP_BACKEND":               "file",
		"NOEQUALS":                  "",
		"EMPTY":                     "",
		"MULTI":                     "a=b=c",
		"AWS_ACCESS_KEY_ID":         "ASIAINNER",
		"AWS_SECRET_ACCESS_KEY":     "inner-secret",
		"AWS_SESSION_TOKEN":         "inner-token",
		"AWS_CREDENTIAL_EXPIRATION": "2030-05-06T05:08:09Z",
		"AWS_SESSION_EXPIRATION":    "2030-05-06T05:08:09Z",
		"HOP_EXPIRES_AT":            "1904274489",
		"AWS_REGION":                "ap-northeast-1",
		"AWS_DEFAULT_REGION":        "ap-northeast-1",
		"HOP_REGION":                "ap-northeast-1",
		"HOP_PROFILE":               "inner",
		"HOP_ROLE_ARN":              "arn:aws:iam::222222222222:role/Inner",
		"HOP_ACCOUNT_ID":            "222222222222",
		"AWS_VAULT":                 "inner",
	}
	for name, v := range want {
		if got[name] != v {
			t.Errorf("%s = %q, want %q", name, got[name], v)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("unexpected %s=%q in the child's environment", name, got[name])
		}
	}
	// Whatever the variable, no value of the outer session survives.
	for _, kv := range env {
		for _, old := range []string{"OUTER", "outer", "hunter2", "111111111111", "eu-north-1", "2000-01-01"} {
			if strings.Contains(kv, old) {
				t.Errorf("%q carries %q from the outer environment", kv, old)
			}
		}
	}
}

func TestEnvironKeepsTheRestInOrder(t *testing.T) {
	env := Environ(outer, Session{Profile: "p", AccessKeyID: "A", SecretAccessKey: "S"})
	var kept []string
	for _, kv := range outer {
		name, _, _ := strings.Cut(kv, "=")
		if !dropped(name) {
			kept = append(kept, kv)
		}
	}
	if !slices.Equal(env[:len(kept)], kept) {
		t.Errorf("inherited variables %q, want %q first and in order", env[:len(kept)], kept)
	}
}

func TestEnvironOmitsWhatTheSessionLacks(t *testing.T) {
	// Static keys: no token, no expiry, and here no region either.
	got := envMap(t, Environ(outer, Session{Profile: "keys", AccessKeyID: "AKIAKEYS", SecretAccessKey: "S"}))
	for _, name := range []string{"AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWS_SESSION_EXPIRATION", "HOP_EXPIRES_AT", "AWS_REGION", "AWS_DEFAULT_REGION", "HOP_REGION"} {
		if v, ok := got[name]; ok {
			t.Errorf("%s=%q set for a session without it", name, v)
		}
	}
	if got["AWS_ACCESS_KEY_ID"] != "AKIAKEYS" || got["HOP_PROFILE"] != "keys" {
		t.Errorf("AWS_ACCESS_KEY_ID=%q HOP_PROFILE=%q", got["AWS_ACCESS_KEY_ID"], got["HOP_PROFILE"])
	}
}

func TestEnvironFromNothing(t *testing.T) {
	got := envMap(t, Environ(nil, Session{Profile: "p", AccessKeyID: "A", SecretAccessKey: "S"}))
	if len(got) != 6 || got["AWS_ACCESS_KEY_ID"] != "A" || got["AWS_SECRET_ACCESS_KEY"] != "S" {
		t.Errorf("environment %v", got)
	}
}

func TestServerEnvironHasNoKeys(t *testing.T) {
	base := append(slices.Clone(outer), "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/v2/credentials/x",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=/token", "AWS_CONTAINER_AUTHORIZATION_TOKEN=outer", "HOP_SERVER=1")
	env := ServerEnviron(base, Session{
		Profile: "inner", AccessKeyID: "ASIAINNER", SecretAccessKey: "inner-secret", SessionToken: "inner-token",
		Expires: time.Now().Add(time.Hour), Region: "ap-northeast-1", RoleARN: "arn:aws:iam::222222222222:role/Inner", AccountID: "222222222222",
	}, "http://127.0.0.1:4321/path", "tok")
	got := envMap(t, env)
	want := map[string]string{
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:4321/path",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":  "tok",
		"AWS_REGION":                         "ap-northeast-1",
		"HOP_PROFILE":                        "inner",
		"HOP_ACCOUNT_ID":                     "222222222222",
		"HOP_SERVER":                         "1",
		"AWS_VAULT":                          "inner",
		"AWS_ENDPOINT_URL":                   "http://127.0.0.1:5000",
	}
	for name, v := range want {
		if got[name] != v {
			t.Errorf("%s=%q, want %q", name, got[name], v)
		}
	}
	for _, name := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
		"AWS_CREDENTIAL_EXPIRATION", "AWS_SESSION_EXPIRATION", "HOP_EXPIRES_AT", "HOP_FILE_PASSPHRASE", "AWS_PROFILE",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"} {
		if v, ok := got[name]; ok {
			t.Errorf("a served child has %s=%q", name, v)
		}
	}
	if strings.Contains(strings.Join(env, "\n"), "inner-secret") {
		t.Errorf("the secret key is in a served child's environment")
	}

	// A plain exec inside a server's shell leaves the server behind.
	plain := envMap(t, Environ(env, Session{Profile: "p", AccessKeyID: "AKID", SecretAccessKey: "s"}))
	for _, name := range []string{"HOP_SERVER", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN"} {
		if v, ok := plain[name]; ok {
			t.Errorf("a plain exec's child inherits %s=%q from a served shell", name, v)
		}
	}
}

// TestEnvironPromptContract: what prompt tools read. The profile is in
// AWS_VAULT (starship, powerlevel10k, oh-my-posh) and HOP_PROFILE; a
// session's expiry in AWS_CREDENTIAL_EXPIRATION (the SDKs' name) and
// AWS_SESSION_EXPIRATION (aws-vault's, read by starship), RFC 3339 in
// UTC; and no AWS_PROFILE or AWS_DEFAULT_PROFILE, inherited or set, which
// would have tools inside resolve the profile's chain themselves.
func TestEnvironPromptContract(t *testing.T) {
	exp := time.Date(2030, 1, 2, 4, 4, 5, 0, time.FixedZone("CET", 3600))
	for _, s := range []Session{
		{Profile: "prod", AccessKeyID: "ASIA", SecretAccessKey: "S", SessionToken: "T", Expires: exp},
		{Profile: "keys", AccessKeyID: "AKIA", SecretAccessKey: "S"},
	} {
		got := envMap(t, Environ(outer, s))
		if got[PromptVar] != s.Profile || got["HOP_PROFILE"] != s.Profile {
			t.Errorf("%s: AWS_VAULT=%q HOP_PROFILE=%q", s.Profile, got["AWS_VAULT"], got["HOP_PROFILE"])
		}
		for _, name := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE"} {
			if v, ok := got[name]; ok {
				t.Errorf("%s: %s=%q", s.Profile, name, v)
			}
		}
		for _, name := range []string{"AWS_CREDENTIAL_EXPIRATION", "AWS_SESSION_EXPIRATION"} {
			want := ""
			if !s.Expires.IsZero() {
				want = "2030-01-02T03:04:05Z"
			}
			if got[name] != want {
				t.Errorf("%s: %s=%q, want %q", s.Profile, name, got[name], want)
			}
		}
	}
}
