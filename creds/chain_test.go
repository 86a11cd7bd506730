package creds

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/internal/testenv"
)

// scenario is the README's config: an SSO profile and a role on top of it.
const scenario = testenv.Config

func loadConfig(t testing.TB, text, credentials string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	cp, kp := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	if err := os.WriteFile(cp, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if credentials != "" {
		if err := os.WriteFile(kp, []byte(credentials), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := config.Load(cp, kp)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// kinds renders a chain as "profile:kind" from source to target.
func kinds(c *Chain) string {
	var parts []string
	for _, h := range c.Hops {
		parts = append(parts, h.Profile+":"+string(h.Kind))
	}
	return strings.Join(parts, " ")
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name        string
		config      string
		credentials string
		profile     string
		want        string // kinds(chain)
		region      string
		wantErr     []string // substrings of the error
	}{
		{name: "sso-session form", config: scenario, profile: "example",
			want: "example:sso", region: "ap-northeast-1"},
		{name: "role over sso inherits the source's region", config: scenario, profile: "requires3",
			want: "example:sso requires3:role", region: "ap-northeast-1"},
		{name: "legacy sso form", profile: "legacy", config: `
[profile legacy]
sso_start_url = https://old.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 111122223333
sso_role_name = Admin`, want: "legacy:sso"},
		{name: "three hops", profile: "c", config: scenario + `
[profile b]
role_arn = arn:aws:iam::123412341234:role/B
source_profile = example
[profile c]
role_arn = arn:aws:iam::123412341234:role/C
source_profile = b
region = eu-central-1`, want: "example:sso b:role c:role", region: "eu-central-1"},
		{name: "static keys in the credentials file", profile: "dev", config: `
[profile dev]
role_arn = arn:aws:iam::123412341234:role/Dev
source_profile = base
[default]
region = us-west-2`, credentials: `
[base]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret`, want: "base:static dev:role", region: "us-west-2"},
		{name: "profile is its own source_profile with static keys", profile: "self", config: `
[profile self]
role_arn = arn:aws:iam::123412341234:role/Self
source_profile = self
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret`, want: "self:static self:role"},
		{name: "a source profile's static keys win over its role_arn", profile: "top", config: `
[profile top]
role_arn = arn:aws:iam::123412341234:role/Top
source_profile = mid
[profile mid]
role_arn = arn:aws:iam::123412341234:role/Mid
source_profile = nowhere
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret`, want: "mid:static top:role"},
		{name: "credential_process", profile: "p", config: `
[profile p]
credential_process = /usr/bin/get-creds --profile p`, want: "p:process"},
		{name: "credential_source Environment", profile: "r", config: `
[profile r]
role_arn = arn:aws:iam::123412341234:role/R
credential_source = Environment`, want: "r:environment r:role"},
		{name: "credential_source Ec2InstanceMetadata", profile: "r", config: `
[profile r]
role_arn = arn:aws:iam::123412341234:role/R
credential_source = Ec2InstanceMetadata`, want: "r:ec2-metadata r:role"},
		{name: "credential_source EcsContainer", profile: "r", config: `
[profile r]
role_arn = arn:aws:iam::123412341234:role/R
credential_source = EcsContainer`, want: "r:ecs-container r:role"},
		{name: "web identity", profile: "w", config: `
[profile w]
role_arn = arn:aws:iam::123412341234:role/W
web_identity_token_file = /var/run/token`, want: "w:web-identity"},
		{name: "role settings are read", profile: "r", config: scenario + `
[profile r]
role_arn = arn:aws:iam::123412341234:role/R
source_profile = example
role_session_name = alice
external_id = ext-1
duration_seconds = 1800
mfa_serial = arn:aws:iam::123412341234:mfa/alice`, want: "example:sso r:role", region: "ap-northeast-1"},
		{name: "[default] region is the last resort", profile: "p", config: `
[default]
region = sa-east-1
[profile p]
credential_process = x`, want: "p:process", region: "sa-east-1"},

		{name: "cycle names the loop", profile: "a", config: `
[profile a]
role_arn = arn:aws:iam::123412341234:role/A
source_profile = b
[profile b]
role_arn = arn:aws:iam::123412341234:role/B
source_profile = a`, wantErr: []string{"profile a:", "loop: a -> b -> a"}},
		{name: "self reference without static keys is a loop", profile: "a", config: `
[profile a]
role_arn = arn:aws:iam::123412341234:role/A
source_profile = a`, wantErr: []string{"loop: a -> a"}},
		{name: "missing profile", profile: "nope", config: scenario,
			wantErr: []string{`profile "nope" not found`, "config"}},
		{name: "dangling source_profile names it and the file", profile: "requires3", config: strings.Replace(scenario, "source_profile = example", "source_profile = exmple", 1),
			wantErr: []string{"profile requires3:", `source_profile "exmple" not found in `, "config"}},
		{name: "source_profile with credential_source", profile: "r", config: scenario + `
[profile r]
role_arn = arn:aws:iam::123412341234:role/R
source_profile = example
credential_source = Environment`, wantErr: []string{"profile r:", "both source_profile and credential_source"}},
		{name: "unknown credential_source", profile: "r", config: `
[profile r]
role_arn = arn:aws:iam::123412341234:role/R
credential_source = Laptop`, wantErr: []string{`credential_source = "Laptop" is not supported`}},
		{name: "role without a source", profile: "r", config: `
[profile r]
role_arn = arn:aws:iam::123412341234:role/R`, wantErr: []string{"neither source_profile nor credential_source"}},
		{name: "chained role above one hour", profile: "r", config: scenario + `
[profile r]
role_arn = arn:aws:iam::123412341234:role/R
source_profile = example
duration_seconds = 7200`, wantErr: []string{"profile r:", "duration_seconds = 7200", "1 hour", "3600 or less"}},
		{name: "role from static keys may last 12 hours", profile: "r", config: `
[profile base]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret
[profile r]
role_arn = arn:aws:iam::123412341234:role/R
source_profile = base
duration_seconds = 43200`, want: "base:static r:role"},
		{name: "duration out of range", profile: "r", config: scenario + `
[profile r]
role_arn = arn:aws:iam::123412341234:role/R
source_profile = example
duration_seconds = 12`, wantErr: []string{"from 900 to 43200"}},
		{name: "sso_session without its section", profile: "s", config: `
[profile s]
sso_session = gone
sso_account_id = 1
sso_role_name = r`, wantErr: []string{`sso_session "gone" has no [sso-session gone] section`}},
		{name: "sso profile without a role name", profile: "s", config: `
[sso-session corp]
sso_start_url = https://x
sso_region = us-east-1
[profile s]
sso_session = corp
sso_account_id = 1`, wantErr: []string{"missing sso_role_name"}},
		{name: "a profile with nothing takes a stored key", profile: "empty", config: "[profile empty]\nregion = us-east-1\n",
			want: "empty:stored-key", region: "us-east-1"},
		{name: "keys without secret", profile: "k", config: "[profile k]\naws_access_key_id = AKIA\n",
			wantErr: []string{"no aws_secret_access_key"}},
		{name: "malformed role_arn", profile: "r", config: scenario + "[profile r]\nrole_arn = RoleForS3\nsource_profile = example\n",
			wantErr: []string{`role_arn "RoleForS3" is not a role ARN`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := loadConfig(t, tt.config, tt.credentials)
			chain, err := Resolve(cfg, tt.profile)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("Resolve(%q) = %s, want an error", tt.profile, kinds(chain))
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not mention %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%q): %v", tt.profile, err)
			}
			if got := kinds(chain); got != tt.want {
				t.Errorf("chain = %q, want %q", got, tt.want)
			}
			if chain.Region != tt.region {
				t.Errorf("region = %q, want %q", chain.Region, tt.region)
			}
		})
	}
}

func TestResolveRoleSettings(t *testing.T) {
	cfg := loadConfig(t, scenario+`
[profile r]
role_arn = arn:aws:iam::123412341234:role/R
source_profile = example
role_session_name = alice
external_id = ext-1
duration_seconds = 1800
mfa_serial = arn:aws:iam::123412341234:mfa/alice`, "")
	chain, err := Resolve(cfg, "r")
	if err != nil {
		t.Fatal(err)
	}
	h := chain.Target()
	if h.RoleSessionName != "alice" || h.ExternalID != "ext-1" || h.Duration != 30*time.Minute || h.MFASerial != "arn:aws:iam::123412341234:mfa/alice" {
		t.Errorf("role hop = %+v", h)
	}
	if h.AccountID() != "123412341234" {
		t.Errorf("AccountID() = %q", h.AccountID())
	}
	if got, want := chain.String(), "r <- example <- sso:corp"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	s := chain.Hops[0].SSO
	if s.StartURL != "https://corp.awsapps.com/start" || s.Region != "us-east-1" || s.Session != "corp" || strings.Join(s.Scopes, ",") != "sso:account:access" {
		t.Errorf("sso settings = %+v", s)
	}
}

// AccountID reads an ARN's fifth field without splitting it; it must read
// what splitting reads.
func TestAccountIDAsSplit(t *testing.T) {
	for _, arn := range []string{"", "arn", "a:b:c:d:e", "a:b:c:d:e:", "a:b:c:d::f", "a:b:c:d:e:f:g",
		"arn:aws:iam::123412341234:role/deploy", "arn:aws:iam::123412341234:role/a:b", ":::::"} {
		want := ""
		if parts := strings.Split(arn, ":"); len(parts) >= 6 {
			want = parts[4]
		}
		if got := (&Hop{RoleARN: arn}).AccountID(); got != want {
			t.Errorf("AccountID of %q = %q, want %q", arn, got, want)
		}
	}
}

// TestLongChainsAreRefused: a chain of more than 32 profiles is refused,
// naming the profile asked for; 32 resolve.
func TestLongChainsAreRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config")
	var b strings.Builder
	for i := range 32 {
		fmt.Fprintf(&b, "[profile p%d]\nrole_arn = arn:aws:iam::123456789012:role/r%d\nsource_profile = p%d\n", i, i, i+1)
	}
	b.WriteString("[profile p32]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\n")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Resolve(cfg, "p0"); err == nil || !strings.Contains(err.Error(), "profile p0: the source_profile chain is longer than 32 profiles") {
		t.Errorf("Resolve(p0), 33 profiles long: %v; want it refused", err)
	}
	if c, err := Resolve(cfg, "p1"); err != nil || len(c.Hops) != 32 {
		t.Errorf("Resolve(p1), 32 profiles long: %v; want 32 hops", err)
	}
}
