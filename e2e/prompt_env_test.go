//go:build e2e && unix

package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/testenv"
)

// TestChildEnvironmentForPrompts: a hop child names its profile where
// starship, powerlevel10k and oh-my-posh look (AWS_VAULT), its expiry
// where starship and the SDKs look (AWS_SESSION_EXPIRATION,
// AWS_CREDENTIAL_EXPIRATION), and has no AWS_PROFILE, even one the user's
// shell set. The real aws CLI in it uses hop's credentials, not the
// profile's chain: requires3's chain starts at SSO, whose token the CLI
// does not have, so any answer is from hop's keys. Even AWS_PROFILE set
// inside the child to the role profile leaves the CLI on the
// environment's keys, as botocore's chain puts them first.
func TestChildEnvironmentForPrompts(t *testing.T) {
	e := testenv.Start(t)
	env := setenv(e.Environ(), "AWS_PROFILE=example", "AWS_VAULT=outer")
	vars := childEnv(t, hop(t, env, "exec", "requires3", "--", "env", "-0"))
	if vars["AWS_VAULT"] != "requires3" || vars["HOP_PROFILE"] != "requires3" {
		t.Errorf("AWS_VAULT=%q HOP_PROFILE=%q, want requires3", vars["AWS_VAULT"], vars["HOP_PROFILE"])
	}
	if v, ok := vars["AWS_PROFILE"]; ok {
		t.Errorf("the child has AWS_PROFILE=%q", v)
	}
	exp, err := time.Parse(time.RFC3339, vars["AWS_CREDENTIAL_EXPIRATION"])
	if err != nil || vars["AWS_SESSION_EXPIRATION"] != vars["AWS_CREDENTIAL_EXPIRATION"] || exp.Location() != time.UTC || time.Until(exp) <= 0 {
		t.Errorf("AWS_CREDENTIAL_EXPIRATION=%q AWS_SESSION_EXPIRATION=%q, want the same future time in UTC", vars["AWS_CREDENTIAL_EXPIRATION"], vars["AWS_SESSION_EXPIRATION"])
	}

	script := `aws sts get-caller-identity --query Arn --output text || exit 7
AWS_PROFILE=requires3 aws sts get-caller-identity --query Arn --output text || exit 8
AWS_PROFILE=requires3 aws configure list`
	r := hop(t, env, "exec", "requires3", "--", "sh", "-c", script)
	if r.code != 0 {
		t.Fatalf("the aws CLI in hop's child: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	lines := strings.Split(r.stdout, "\n")
	for _, arn := range lines[:2] {
		if !strings.Contains(arn, "assumed-role/"+testenv.RoleName+"/") {
			t.Errorf("the aws CLI is %q, want hop's session of %s", arn, testenv.RoleName)
		}
	}
	for _, line := range lines[2:] {
		if f := strings.Fields(line); len(f) >= 3 && f[0] == "access_key" && f[2] != "env" {
			t.Errorf("with AWS_PROFILE set the aws CLI's key comes from %q, want env:\n%s", f[2], r.stdout)
		}
	}
}
