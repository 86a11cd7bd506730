package completions

import (
	"slices"
	"strings"

	"github.com/hop-cli/hop/creds"
)

// Profiles are the Candidates and, when describe is set, what zsh and
// fish show beside each: the account and role it signs in to, read from
// the config alone (never the keyring or the network). A profile with
// static keys, or whose files hop refuses, has no description.
func Profiles(getenv func(string) string, describe bool) (names []string, about map[string]string) {
	if !describe {
		return Candidates(getenv), nil
	}
	cfg, ok := loadConfig(getenv)
	if !ok {
		// Names still complete from files hop refuses.
		return Candidates(getenv), nil
	}
	// The same names as Candidates: FuzzAgreesWithCreds holds the two
	// parsers to that.
	names = cfg.ProfileNames()
	about = make(map[string]string, len(names))
	for _, name := range names {
		if p, ok := cfg.Profile(name); ok {
			if d := describeProfile(p); d != "" {
				about[name] = d
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names), about
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
