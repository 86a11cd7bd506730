package config

import (
	"os"
	"path/filepath"
	"testing"
)

// loadConfig loads config and credentials written to a new directory.
func loadConfig(t testing.TB, text, credentials string) *Config {
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
	cfg, err := Load(cp, kp)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestEndpoint(t *testing.T) {
	cfg := loadConfig(t, `
[profile p]
services = local
endpoint_url = http://profile-wide
[services local]
sts =
  endpoint_url = http://sts-from-services
[profile plain]
region = us-east-1
[profile ignoring]
ignore_configured_endpoint_urls = true
endpoint_url = http://ignored
`, "")
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	tests := []struct {
		profile string
		s       Service
		env     map[string]string
		want    string
	}{
		{"p", ServiceSTS, nil, "http://sts-from-services"},
		{"p", ServiceSTS, map[string]string{"AWS_ENDPOINT_URL_STS": "http://env-sts"}, "http://env-sts"},
		{"p", ServiceSSO, nil, "http://profile-wide"},
		{"p", ServiceSSO, map[string]string{"AWS_ENDPOINT_URL": "http://global"}, "http://global"},
		{"plain", ServiceSSOOIDC, map[string]string{"AWS_ENDPOINT_URL_SSO_OIDC": "http://oidc"}, "http://oidc"},
		{"plain", ServiceSTS, nil, ""},
		{"ignoring", ServiceSTS, map[string]string{"AWS_ENDPOINT_URL": "http://global"}, ""},
		{"p", ServiceSTS, map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL_STS": "http://x"}, ""},
	}
	for _, tt := range tests {
		if got := cfg.Endpoint(tt.profile, tt.s, env(tt.env)); got != tt.want {
			t.Errorf("endpoint(%s, %s, %v) = %q, want %q", tt.profile, tt.s.configKey, tt.env, got, tt.want)
		}
	}
}
