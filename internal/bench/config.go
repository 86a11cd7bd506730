package bench

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// WriteConfig writes an AWS config and credentials file with n profiles
// into dir, shaped like a large organisation's: [default], SSO profiles
// spread over five sso-sessions, roles chained from the SSO profile before
// them, static keys in the credentials file (every tenth profile), and a
// services section. Every profile resolves to a chain except [default],
// which only sets a region.
func WriteConfig(dir string, n int) (configPath, credentialsPath string, err error) {
	var config, credentials bytes.Buffer
	config.WriteString("[default]\nregion = eu-west-1\n\n")
	for s := range 5 {
		fmt.Fprintf(&config, "[sso-session org-%d]\nsso_start_url = https://org-%d.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n\n", s, s)
	}
	config.WriteString("[services local]\ns3 =\n  endpoint_url = http://127.0.0.1:9\n\n")
	for i := 1; i < n; i++ {
		switch {
		case i%10 == 0:
			fmt.Fprintf(&credentials, "[static-%d]\naws_access_key_id = AKIAEXAMPLE%09d\naws_secret_access_key = not-a-secret\n\n", i, i)
		case i%3 == 0:
			// The profile before is an SSO one unless it holds static
			// keys; then the one before that is.
			source := i - 1
			if source%10 == 0 {
				source = i - 2
			}
			fmt.Fprintf(&config, "# chained from an SSO profile\n[profile team-%d]\nrole_arn = arn:aws:iam::%012d:role/deploy\nsource_profile = team-%d\nregion = us-east-1\n\n", i, i, source)
		default:
			fmt.Fprintf(&config, "[profile team-%d]\nsso_session = org-%d\nsso_account_id = %012d\nsso_role_name = Developer\nregion = eu-west-1\n\n", i, i%5, i)
		}
	}
	configPath = filepath.Join(dir, "config")
	credentialsPath = filepath.Join(dir, "credentials")
	if err := os.WriteFile(configPath, config.Bytes(), 0o600); err != nil {
		return "", "", fmt.Errorf("writing the generated config: %w", err)
	}
	if err := os.WriteFile(credentialsPath, credentials.Bytes(), 0o600); err != nil {
		return "", "", fmt.Errorf("writing the generated credentials: %w", err)
	}
	return configPath, credentialsPath, nil
}

// WriteScaleConfig is WriteConfig's n profiles and, beside them, a
// credentials file about as large as the config: n more profiles with
// static keys. It returns how many profiles the two define.
func WriteScaleConfig(dir string, n int) (configPath, credentialsPath string, profiles int, err error) {
	configPath, credentialsPath, err = WriteConfig(dir, n)
	if err != nil {
		return "", "", 0, err
	}
	f, err := os.OpenFile(credentialsPath, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return "", "", 0, fmt.Errorf("writing the generated credentials: %w", err)
	}
	defer f.Close()
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, "[keys-%d]\naws_access_key_id = AKIAEXAMPLE%09d\naws_secret_access_key = not-a-secret-either\nregion = us-west-2\n\n", i, i)
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		return "", "", 0, fmt.Errorf("writing the generated credentials: %w", err)
	}
	return configPath, credentialsPath, max(n, 1) + n, nil
}
