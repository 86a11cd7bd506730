package fetch

import "testing"

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
