package completions

import (
	"strings"

	"github.com/hop-cli/hop/creds"
)

// Profiles are the Candidates and, when describe is set, a function
// giving what zsh and fish show beside one: the account and role it signs
// in to, read from the config alone (never the keyring or the network).
// Only the profiles asked about are read, through the config index a warm
// exec keeps, so describing a few names among many costs little. A
// profile with static keys, or whose files hop refuses, has no
// description.
func Profiles(getenv func(string) string, describe bool) (names []string, about func(string) string) {
	names = Candidates(getenv)
	if !describe || len(names) == 0 {
		return names, nil
	}
	configPath, credentialsPath, err := SharedFiles(getenv)
	if err != nil {
		return names, nil
	}
	cfg, err := creds.LoadConfigIndexed(configPath, credentialsPath, creds.ConfigIndexDir(getenv))
	if err != nil {
		return names, nil
	}
	return names, func(name string) string {
		p, ok := cfg.Profile(name)
		if !ok || cfg.Err() != nil {
			return ""
		}
		return describeProfile(p)
	}
}

// describeProfile names the account and role p signs in to: its
// sso_account_id and sso_role_name, or the account and role name in its
// role_arn.
func describeProfile(p *creds.Profile) string {
	if arn := p.Get("role_arn"); arn != "" {
		account, role, ok := roleOf(arn)
		if !ok {
			return ""
		}
		return account + " " + role
	}
	return strings.TrimSpace(p.Get("sso_account_id") + " " + p.Get("sso_role_name"))
}

// roleOf reads arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME.
func roleOf(arn string) (account, role string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[4] == "" || !strings.HasPrefix(parts[5], "role/") {
		return "", "", false
	}
	role = parts[5][strings.LastIndexByte(parts[5], '/')+1:]
	return parts[4], role, role != ""
}
