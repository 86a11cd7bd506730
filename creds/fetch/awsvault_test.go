package fetch

import (
	"strings"
	"testing"

	"github.com/99designs/keyring"
)

// TestAWSVaultSessionItems: the item names aws-vault gives its cached
// sessions and SSO tokens, in every form it has used, are not taken for
// profiles; profile names are.
func TestAWSVaultSessionItems(t *testing.T) {
	for name, session := range map[string]bool{
		// vault/sessionkeyring.go: type, base64url profile, base64url serial, unix expiry.
		"sts.GetSessionToken,am9uc21pdGg,YXJuOmF3czppYW06OjExMTEyMjIyMzMzMzptZmEvam9uc21pdGg,1700000000": true,
		"sts.AssumeRole,cHJvZC1hZG1pbg,,1700000000":                                                      true,
		"sso.GetRoleCredentials,c3NvLXByb2Q,,1700000000":                                                 true,
		"session,am9uc21pdGg,,1600000000":                                                                true,
		"session:jonsmith:arn:aws:iam::111122223333:mfa/jonsmith:1600000000":                             true,
		"jonsmith session (1500000000)":                                                                  true,
		"oidc:https://corp.awsapps.com/start":                                                            true,
		"jonsmith":                                                                                       false,
		"prod-admin":                                                                                     false,
		"my profile":                                                                                     false,
	} {
		if got := awsVaultSession.MatchString(name); got != session {
			t.Errorf("%q taken for a session: %v, want %v", name, got, session)
		}
	}
}

// TestAWSVaultKeyWithControls: an aws-vault item whose key holds a
// control character is refused as it is read, naming aws-vault and the
// profile, not the value.
func TestAWSVaultKeyWithControls(t *testing.T) {
	for _, secret := range []string{`wJalrXUtnFEMI\u0000K7MDENG`, `wJalrXUtnFEMI\u0085K7MDENG`, `wJalrXUtnFEMI\u202eK7MDENG`} {
		kr := keyring.NewArrayKeyring([]keyring.Item{{Key: "jonsmith", Data: []byte(`{"AccessKeyID":"AKIAIOSFODNN7EXAMPLE","SecretAccessKey":"` + secret + `"}`)}})
		_, err := AWSVaultKey(kr, "jonsmith")
		if err == nil || !strings.Contains(err.Error(), "aws-vault's item for profile jonsmith") {
			t.Errorf("secret %s: %v, want a refusal naming aws-vault and the profile", secret, err)
		}
		if err != nil && strings.Contains(err.Error(), "K7MDENG") {
			t.Errorf("the error repeats the secret: %v", err)
		}
	}
}
