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
		"--secret-service-collection": "hop uses the Secret Service's default collection; drop --secret-service-collection",
		"--pass-dir":                  "hop has no pass backend; pick one of its stores with --backend (or HOP_BACKEND)",
		"--pass-cmd":                  "hop has no pass backend; pick one of its stores with --backend (or HOP_BACKEND)",
		"--pass-prefix":               "hop has no pass backend; pick one of its stores with --backend (or HOP_BACKEND)",
		"--file-dir":                  "the file store's directory is HOP_FILE_DIR: HOP_FILE_DIR=DIR hop ...",
	},
	"exec": {
		"--ec2-server": "hop serves credentials as ECS does (AWS_CONTAINER_CREDENTIALS_FULL_URI), not as EC2's instance metadata: use --server",
		"--lazy":       "hop exec --server fetches the first credentials before the child starts; drop --lazy",
		"--redact":     "hop does not filter the child's output; drop --redact",
	},
	"login": loginAsConsole,
	"console": {
		"--path": "hop console opens a service's page by its name: --service NAME (e.g. --service s3)",
	},
	"rotate": {
		"--no-session": "hop rotate always calls IAM as its chain needs (with --mfa-token where MFA is required); drop --no-session",
		"-n":           "hop rotate always calls IAM as its chain needs (with --mfa-token where MFA is required); drop -n",
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
var loginAsConsole = func() map[string]string {
	const msg = "hop login signs in to IAM Identity Center; aws-vault's login (the console) is hop console PROFILE, with --print for the URL"
	m := map[string]string{}
	for _, flag := range []string{"--stdout", "-s", "--path", "--duration", "-d", "--no-session", "-n", "--mfa-token", "-t", "--region"} {
		m[flag] = msg
	}
	return m
}()

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
