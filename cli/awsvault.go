package cli

import (
	"strings"
)

// awsVaultFlags are aws-vault's flags that hop spells otherwise or does
// without, by the command they are given to ("" for aws-vault's global
// flags, given to any): each answer says what to type instead. aws-vault's
// flags that mean what a flag of hop's means are that flag's aliases, and
// are not here.
var awsVaultFlags = map[string]map[string]string{
	"": {
		"--prompt":                    "hop asks for an MFA code on the terminal, or runs the profile's mfa_process; drop --prompt",
		"--keychain":                  "hop keeps its items in the login keychain; drop --keychain",
		"--secret-service-collection": "hop keeps its items in its own Secret Service collection, hop; drop --secret-service-collection",
		"--file-dir":                  "the file store's directory is HOP_FILE_DIR: HOP_FILE_DIR=DIR hop ...",
		"--pass-dir":                  "hop's pass store is in PASSWORD_STORE_DIR (default ~/.password-store): PASSWORD_STORE_DIR=DIR hop ...",
		"--pass-cmd":                  "hop's pass store runs the pass on PATH; drop --pass-cmd",
		"--pass-prefix":               "hop keeps its items under hop/ in the pass store; drop --pass-prefix",
		"--biometrics":                "hop unlocks the keychain as the system asks; drop --biometrics",
	},
	"exec": {
		"--ec2-server": "hop serves credentials as ECS does (AWS_CONTAINER_CREDENTIALS_FULL_URI), not as EC2's instance metadata: use --server",
		"--lazy":       "hop exec --server fetches the first credentials before the child starts; drop --lazy",
		"--redact":     "hop does not filter the child's output; drop --redact",
	},
	"login": loginAsConsole,
	"console": {
		"--path": "hop console takes the path with its leading slash, --destination /PATH (e.g. --destination /s3/buckets), or a service, --service s3",
	},
	"rotate": {
		"--no-session": "hop rotate calls IAM with the stored key itself, through an MFA session only when the profile has mfa_serial; drop --no-session",
		"-n":           "hop rotate calls IAM with the stored key itself, through an MFA session only when the profile has mfa_serial; drop -n",
	},
	"remove": {
		"--sessions-only": "to drop a profile's sessions and keep its key, run hop clear PROFILE",
		"-s":              "to drop a profile's sessions and keep its key, run hop clear PROFILE",
	},
	"add": {
		"--add-config": "hop add adds the profile to the config when it is missing; drop --add-config",
	},
}

// loginAsConsole answers aws-vault's login flags given to hop login, which
// signs in to IAM Identity Center: aws-vault's login is hop console.
var loginAsConsole = answerAll("hop login signs in to IAM Identity Center; aws-vault's login (the console) is hop console PROFILE, with --print for the URL",
	"--stdout", "-s", "--path", "--duration", "-d", "--no-session", "-n", "--mfa-token", "-t", "--region")

// otherBackends are the options of aws-vault's backends hop has not.
var otherBackends = answerAll("hop has no 1Password or Proton Pass backend; pick one of its stores with --backend (or HOP_BACKEND)",
	"--op-timeout", "--op-vault-id", "--op-item-title-prefix", "--op-item-tag", "--op-connect-host",
	"--op-desktop-account-id", "--proton-pass-share-id", "--proton-pass-item-title-prefix", "--proton-pass-api-base", "--proton-pass-timeout")

// answerAll gives each flag the same answer.
func answerAll(answer string, flags ...string) map[string]string {
	m := make(map[string]string, len(flags))
	for _, flag := range flags {
		m[flag] = answer
	}
	return m
}

// awsVaultHint answers a flag of aws-vault's given to command, written as
// the user wrote it (--flag or --flag=value): what to type instead, or ""
// when the flag is none of aws-vault's that hop spells otherwise.
func awsVaultHint(command, flag string) string {
	flag, _, _ = strings.Cut(flag, "=")
	if hint, ok := awsVaultFlags[command][flag]; ok {
		return flag + ": " + hint
	}
	if hint, ok := awsVaultFlags[""][flag]; ok {
		return flag + ": " + hint
	}
	if hint, ok := otherBackends[flag]; ok {
		return flag + ": " + hint
	}
	return ""
}

// unknownFlag is the flag a kong "unknown flag" error names, or "".
func unknownFlag(err error) string {
	rest, ok := strings.CutPrefix(err.Error(), "unknown flag ")
	if !ok {
		return ""
	}
	flag, _, _ := strings.Cut(rest, ",")
	return flag
}
