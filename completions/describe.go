package completions

import (
	"strings"

	"github.com/hop-cli/hop/creds/config"
)

// Profiles are the Candidates and, when describe is set, a Describer for
// what zsh and fish show beside them: the account and role each signs in
// to, read from the config alone (never the keyring or the network). A
// profile with static keys, or whose files hop refuses, has no
// description.
func Profiles(getenv func(string) string, describe bool) (names []string, about Describer) {
	names = Candidates(getenv)
	if !describe || len(names) == 0 {
		return names, nil
	}
	configPath, credentialsPath, err := SharedFiles(getenv)
	if err != nil {
		return names, nil
	}
	cfg, err := config.LoadIndexed(configPath, credentialsPath, config.IndexDir(getenv))
	if err != nil {
		return names, nil
	}
	return names, func(asked []string) []string {
		// A few names among many are read through the config index a
		// warm exec keeps. Each costs a read and a parse of its
		// sections, about five times what the full parse spends on a
		// profile, so for more than an eighth of them the files are
		// parsed in full instead.
		if len(asked) > len(names)/8 {
			cfg.Profiles()
		}
		out := make([]string, len(asked))
		for i, name := range asked {
			if p, ok := cfg.Profile(name); ok && cfg.Err() == nil {
				out[i] = describeProfile(p)
			}
		}
		return out
	}
}

// A Describer describes each of names, "" for none.
type Describer func(names []string) []string

// describeProfile names the account and role p signs in to: its
// sso_account_id and sso_role_name, or the account and role name in its
// role_arn.
func describeProfile(p *config.Profile) string {
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
