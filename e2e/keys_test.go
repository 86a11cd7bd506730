//go:build e2e && unix

package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/bench"
	"github.com/hop-cli/hop/internal/faultproxy"
	"github.com/hop-cli/hop/internal/testenv"
)

// The stored-key scenario: IAM user alice keeps her key in hop's keyring
// and has an MFA device; roles are assumed from her session.
const (
	aliceSerial = "arn:aws:iam::" + testenv.AccountID + ":mfa/alice"
	keysConfig  = `[profile alice]
mfa_serial = ` + aliceSerial + `
region = ap-northeast-1

[profile admin-role]
role_arn = ` + testenv.RoleARN + `
source_profile = alice
mfa_serial = ` + aliceSerial + `

[profile other-role]
role_arn = arn:aws:iam::` + testenv.AccountID + `:role/Other
source_profile = alice
`
)

// aliceActions are what alice may do: get sessions, assume roles and
// manage her own keys.
var aliceActions = []string{"sts:GetSessionToken", "sts:AssumeRole", "sts:GetCallerIdentity",
	"iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys", "iam:GetUser"}

// hopNoTTY runs hop in a session of its own, so it has no terminal to ask
// on whatever terminal the test runs in.
func hopNoTTY(t *testing.T, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), hopRunLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, hopBin, args...)
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if exit, ok := err.(*exec.ExitError); ok {
		r.code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("running hop %v: %v", args, err)
	}
	return r
}

// addAlice stores alice's key with hop add --env.
func addAlice(t *testing.T, e *testenv.Env, env []string, k testenv.Keys) {
	t.Helper()
	r := hopNoTTY(t, setenv(env, "AWS_ACCESS_KEY_ID="+k.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+k.SecretAccessKey), "add", "alice", "--env")
	if r.code != 0 {
		t.Fatalf("hop add alice --env: exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, k.SecretAccessKey) {
		t.Fatalf("hop add printed the secret: %s", r.stderr)
	}
}

// TestStoredKeySessions: the stored key signs one GetSessionToken with
// MFA; roles are assumed with that session and no MFA; a second role needs
// no code and no new session; the key's own profile reuses the session;
// a warm exec makes no call at all, served by the front alone.
func TestStoredKeySessions(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.AppendConfig(t, keysConfig)
	alice := e.NewUser(t, "alice", aliceActions...)
	addAlice(t, e, env, alice)

	// moto does not recognise the session's credentials, so AssumeRole
	// signed with them is answered by the proxy; who signed it, and with
	// what MFA, is what the test checks.
	expires := time.Now().Add(time.Hour)
	e.ResetCounts()
	e.Moto.Inject("sts:AssumeRole", 1, faultproxy.AssumeRoleAnswer(testenv.RoleARN, "ASIAADMINROLE0000001", "admin-secret", "admin-token", expires))
	r := hopNoTTY(t, env, "exec", "admin-role", "--mfa-token", "123456", "--", "env", "-0")
	child := childEnv(t, r)
	if child["AWS_ACCESS_KEY_ID"] != "ASIAADMINROLE0000001" {
		t.Fatalf("admin-role's child has key %q, want the role's", child["AWS_ACCESS_KEY_ID"])
	}
	calls := e.Moto.Calls()
	if len(calls) != 2 || calls[0].Operation != "sts:GetSessionToken" || calls[1].Operation != "sts:AssumeRole" {
		t.Fatalf("calls %+v, want GetSessionToken then AssumeRole", calls)
	}
	get, assume := calls[0], calls[1]
	if get.AccessKeyID != alice.AccessKeyID || get.SerialNumber != aliceSerial || get.TokenCode != "123456" {
		t.Errorf("GetSessionToken %+v, want it signed by alice's key %s with her MFA", get, alice.AccessKeyID)
	}
	if assume.AccessKeyID == alice.AccessKeyID || assume.AccessKeyID == "" || assume.SerialNumber != "" || assume.TokenCode != "" {
		t.Errorf("AssumeRole %+v, want it signed by the session, with no MFA", assume)
	}

	// Another role on the same key: no code, no new session.
	e.ResetCounts()
	e.Moto.Inject("sts:AssumeRole", 1, faultproxy.AssumeRoleAnswer("arn:aws:iam::"+testenv.AccountID+":role/Other", "ASIAOTHERROLE0000001", "other-secret", "other-token", expires))
	child = childEnv(t, hopNoTTY(t, env, "exec", "other-role", "--", "env", "-0"))
	calls = e.Moto.Calls()
	if child["AWS_ACCESS_KEY_ID"] != "ASIAOTHERROLE0000001" || len(calls) != 1 || calls[0].Operation != "sts:AssumeRole" ||
		calls[0].AccessKeyID != assume.AccessKeyID || calls[0].TokenCode != "" {
		t.Errorf("other-role: key %q, calls %+v; want one AssumeRole signed by the same session %s, no MFA", child["AWS_ACCESS_KEY_ID"], calls, assume.AccessKeyID)
	}

	// The key's own profile: the same session, no call, and never the
	// long-term key in the child.
	e.ResetCounts()
	child = childEnv(t, hopNoTTY(t, env, "exec", "alice", "--", "env", "-0"))
	if child["AWS_ACCESS_KEY_ID"] != assume.AccessKeyID || child["AWS_SESSION_TOKEN"] == "" || e.Calls() != 0 {
		t.Errorf("alice: key %q, %d calls; want the session %s and no call", child["AWS_ACCESS_KEY_ID"], e.Calls(), assume.AccessKeyID)
	}
	for k, v := range child {
		if strings.Contains(v, alice.SecretAccessKey) {
			t.Errorf("alice's child has her long-term secret in %s", k)
		}
	}

	// Warm: the front alone (no hop-core beside it) serves the role.
	bin, err := os.ReadFile(hopBin)
	if err != nil {
		t.Fatal(err)
	}
	alone := filepath.Join(t.TempDir(), "hop")
	if err := os.WriteFile(alone, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	e.ResetCounts()
	for _, profile := range []string{"admin-role", "alice"} {
		r := runBin(t, alone, env, "exec", profile, "--", "true")
		if r.code != 0 {
			t.Errorf("warm exec of %s by the front alone: exit %d, %s", profile, r.code, r.stderr)
		}
	}
	if e.Calls() != 0 {
		t.Errorf("warm execs made %d calls, want none", e.Calls())
	}
	// As cheap as the SSO case: the role's item is the one item read, and
	// neither the key nor the keyring's list is looked at.
	if _, err := exec.LookPath("strace"); err == nil {
		cmd := exec.Command(alone, "exec", "admin-role", "--", "true")
		cmd.Env = env
		a, err := bench.TraceCache(cmd, filepath.Join(e.Home, ".hop-keyring"))
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Items) != 1 || !strings.HasPrefix(a.Items[0], "hop:admin-role:") || a.Listed {
			t.Errorf("warm exec of admin-role read items %q (listed: %v), want its own session's alone", a.Items, a.Listed)
		}
	}

	// --no-session: the child of the key's own profile gets the key as
	// it is, as in aws-vault.
	e.ResetCounts()
	child = childEnv(t, hopNoTTY(t, env, "exec", "alice", "--no-session", "--", "env", "-0"))
	if child["AWS_ACCESS_KEY_ID"] != alice.AccessKeyID || child["AWS_SESSION_TOKEN"] != "" || e.Calls() != 0 {
		t.Errorf("alice --no-session: key %q, token %q, %d calls", child["AWS_ACCESS_KEY_ID"], child["AWS_SESSION_TOKEN"], e.Calls())
	}

	// --debug says which key, never its secret.
	r = hopNoTTY(t, env, "--debug", "exec", "alice", "--no-session", "--", "true")
	if r.code != 0 || !strings.Contains(r.stderr, "stored key") || strings.Contains(r.stderr, alice.SecretAccessKey) {
		t.Errorf("hop --debug exec alice: exit %d, %q; want the key named and the secret absent", r.code, r.stderr)
	}

	// hop clear drops sessions, never the key.
	if r := hopNoTTY(t, env, "clear"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	e.ResetCounts()
	r = hopNoTTY(t, env, "exec", "alice", "-t", "654321", "--", "true")
	if calls := e.Moto.Calls(); r.code != 0 || len(calls) != 1 || calls[0].AccessKeyID != alice.AccessKeyID || calls[0].TokenCode != "654321" {
		t.Errorf("after hop clear: exit %d (%s), calls %+v; want a new session from the stored key", r.code, r.stderr, calls)
	}
}

// TestStoredKeyMFACodes: without a terminal or a code hop says how to pass
// one; a code that is not six digits never reaches STS; mfa_process gives
// the code.
func TestStoredKeyMFACodes(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.AppendConfig(t, keysConfig+"\n[profile yubi]\nmfa_serial = "+aliceSerial+"\nmfa_process = printf '%s\\n' 246810\n")
	alice := e.NewUser(t, "alice", aliceActions...)
	addAlice(t, e, env, alice)
	e.ResetCounts()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"exec", "alice", "--", "true"}, "--mfa-token"},
		{[]string{"exec", "alice", "--mfa-token", "12345x", "--", "true"}, "six digits"},
		{[]string{"exec", "alice", "--mfa-token", "1234567", "--", "true"}, "six digits"},
	} {
		r := hopNoTTY(t, env, tt.args...)
		if r.code == 0 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("hop %v: exit %d, stderr %q; want it to mention %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
	if n := e.Moto.Total(); n != 0 {
		t.Errorf("bad codes reached STS: %v", e.Moto.Calls())
	}

	keyEnv := setenv(env, "AWS_ACCESS_KEY_ID="+alice.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+alice.SecretAccessKey)
	if r := hopNoTTY(t, keyEnv, "add", "yubi", "--env"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	e.ResetCounts()
	r := hopNoTTY(t, env, "exec", "yubi", "--", "true")
	if calls := e.Moto.Calls(); r.code != 0 || len(calls) != 1 || calls[0].TokenCode != "246810" || calls[0].SerialNumber != aliceSerial {
		t.Errorf("yubi with mfa_process: exit %d (%s), calls %+v; want its code in GetSessionToken", r.code, r.stderr, calls)
	}
}

// TestAddRemoveBadInput: each refusal names what is wrong and changes
// nothing: the stored key, the config file and the sessions stay.
func TestAddRemoveBadInput(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.AppendConfig(t, keysConfig+`
[profile proc]
credential_process = /bin/false

[profile sso]
sso_session = corp
sso_account_id = 1
sso_role_name = r
`)
	alice := e.NewUser(t, "alice", aliceActions...)
	addAlice(t, e, env, alice)
	configBefore, err := os.ReadFile(e.ConfigFile)
	if err != nil {
		t.Fatal(err)
	}
	withKey := func(id, secret string) []string {
		return setenv(env, "AWS_ACCESS_KEY_ID="+id, "AWS_SECRET_ACCESS_KEY="+secret)
	}
	good := withKey("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	for _, tt := range []struct {
		env  []string
		args []string
		want string
	}{
		{withKey("AKIA IOSFODNN7EXAMPLE", "secret"), []string{"add", "new", "--env"}, "character IAM never uses"},
		{withKey("AKIAIOSFODNN7EXAMPLE", "with space"), []string{"add", "new", "--env"}, "space or control character"},
		{env, []string{"add", "new", "--env"}, "needs both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"},
		{env, []string{"add", "new"}, "no terminal"},
		{good, []string{"add", "admin-role", "--env"}, "profile admin-role: sets role_arn"},
		{good, []string{"add", "proc", "--env"}, "profile proc: sets credential_process"},
		{good, []string{"add", "sso", "--env"}, "profile sso: sets sso_session"},
		{good, []string{"add", "alice", "--env"}, "already has a stored key"},
		{good, []string{"add", "bad]name", "--env"}, `profile name "bad]name" cannot be a profile's name`},
		{good, []string{"add", "reset\x1bc", "--env"}, `profile name "reset\x1bc" cannot be a profile's name`},
		{good, []string{"add", "two words", "--env"}, `profile name "two words" cannot be a profile's name`},
		{setenv(good, "HOP_FILE_PASSPHRASE=wrong"), []string{"add", "alice", "--env", "--force"}, "does not open the file keyring"},
		{setenv(good, "HOP_FILE_PASSPHRASE="), []string{"add", "alice", "--env", "--force"}, "HOP_FILE_PASSPHRASE"},
		// Only alice's key is stored, no session: the passphrase is still
		// checked against it before a second key is written.
		{setenv(good, "HOP_FILE_PASSPHRASE=wrong"), []string{"add", "brandnew", "--env"}, "does not open the file keyring"},
		{setenv(env, "HOP_FILE_PASSPHRASE=wrong"), []string{"exec", "alice", "--no-session", "--", "true"}, "does not open the file keyring"},
		{setenv(env, "HOP_FILE_PASSPHRASE=wrong"), []string{"exec", "alice", "-t", "123456", "--", "true"}, "does not open the file keyring"},
		{setenv(env, "HOP_FILE_PASSPHRASE="), []string{"exec", "alice", "-t", "123456", "--", "true"}, "HOP_FILE_PASSPHRASE"},
		{env, []string{"remove", "alice"}, "--force"},
		{env, []string{"remove", "nobody"}, "has no stored key"},
		{setenv(env, "HOP_FILE_PASSPHRASE=wrong"), []string{"remove", "alice", "--force"}, "does not open the file keyring"},
	} {
		r := hopNoTTY(t, tt.env, tt.args...)
		if r.code == 0 || !strings.Contains(r.stderr, tt.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
			t.Errorf("hop %v: exit %d, stderr %q; want one line mentioning %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
	if after, _ := os.ReadFile(e.ConfigFile); !bytes.Equal(after, configBefore) {
		t.Errorf("a refused add changed the config file:\n%s", after)
	}
	// alice's key is still the one stored, and works.
	e.ResetCounts()
	r := hopNoTTY(t, env, "exec", "alice", "--no-session", "--", "env", "-0")
	if child := childEnv(t, r); child["AWS_ACCESS_KEY_ID"] != alice.AccessKeyID {
		t.Errorf("after the refusals alice's key is %q, want %s", child["AWS_ACCESS_KEY_ID"], alice.AccessKeyID)
	}

	// A new profile is appended to the config, every old byte kept.
	if r := hopNoTTY(t, good, "add", "fresh", "--env"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	after, _ := os.ReadFile(e.ConfigFile)
	if !bytes.HasPrefix(after, configBefore) || !strings.HasSuffix(string(after), "\n[profile fresh]\n") {
		t.Errorf("hop add fresh: config now ends %q", after[max(0, len(after)-80):])
	}

	// Replacing drops the sessions made from the old key; remove drops the
	// key and its sessions, and leaves the config alone.
	e.Moto.Inject("sts:AssumeRole", 1, faultproxy.AssumeRoleAnswer(testenv.RoleARN, "ASIAADMINROLE0000001", "s", "t", time.Now().Add(time.Hour)))
	if r := hopNoTTY(t, env, "exec", "admin-role", "-t", "123456", "--", "true"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r = hopNoTTY(t, withKey(alice.AccessKeyID, alice.SecretAccessKey), "add", "alice", "--env", "--force")
	if r.code != 0 || !strings.Contains(r.stderr, "dropped 2 session") {
		t.Errorf("hop add --force: exit %d, %q; want the old key's session dropped", r.code, r.stderr)
	}
	r = hopNoTTY(t, env, "remove", "alice", "--force")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	r = hopNoTTY(t, env, "exec", "alice", "--", "true")
	if r.code == 0 || !strings.Contains(r.stderr, "hop add alice") {
		t.Errorf("after hop remove: exit %d, %q; want it to say to run hop add", r.code, r.stderr)
	}
	entries, _ := os.ReadDir(filepath.Join(e.Home, ".hop-keyring"))
	for _, f := range entries {
		if strings.Contains(f.Name(), "alice") {
			t.Errorf("after hop remove the keyring still holds %s", f.Name())
		}
	}
}

// TestStoredKeyListExplain: list and explain show the stored key's ID and
// never its secret, say which session a role comes from, which role is
// assumed straight from the key, and that plaintext keys for the same
// profile are shadowed and should go; exec uses the stored key over them.
func TestStoredKeyListExplain(t *testing.T) {
	e, env, alice := longRoleWorld(t)
	// Plaintext keys for alice too, as a user moving off them has.
	creds := filepath.Join(e.Home, ".aws", "credentials")
	if err := os.WriteFile(creds, []byte("[alice]\naws_access_key_id = AKIAPLAINTEXT0000001\naws_secret_access_key = plaintext-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	e.AppendConfig(t, "[profile nokey]\n")
	r := hopNoTTY(t, env, "list")
	if r.code != 0 || !strings.Contains(r.stdout, "alice <- keyring (key "+alice.AccessKeyID+")") || strings.Contains(r.stdout, alice.SecretAccessKey) ||
		!strings.Contains(r.stdout, "nokey <- keyring (no key stored)") {
		t.Errorf("hop list: exit %d\n%s\nwant alice's chain with her key ID and no secret", r.code, r.stdout)
	}
	r = hopNoTTY(t, env, "explain", "admin-role")
	for _, want := range []string{
		"alice: long-term key in hop's keyring",
		"key                " + alice.AccessKeyID,
		"GetSessionToken for 8h00m, MFA " + aliceSerial,
		"its source's session was made with it: no code here",
		"plaintext keys in " + creds + ", which the stored key shadows",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("hop explain admin-role lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, alice.SecretAccessKey) {
		t.Error("hop explain printed the secret")
	}
	r = hopNoTTY(t, env, "explain", "long-role")
	if !strings.Contains(r.stdout, "assumed straight from alice's long-term key, with its own MFA code") || !strings.Contains(r.stdout, "no: the key is used as it is") {
		t.Errorf("hop explain long-role does not say it is assumed from the key:\n%s", r.stdout)
	}

	// The stored key wins over the plaintext one, in hop-core and the front.
	e.ResetCounts()
	if got := storedKeyID(t, env, "alice"); got != alice.AccessKeyID {
		t.Errorf("alice --no-session gives key %s, want the stored %s over the plaintext one", got, alice.AccessKeyID)
	}
	if r := hopNoTTY(t, env, "exec", "alice", "-t", "123456", "--", "true"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if calls := e.Moto.Calls(); len(calls) != 1 || calls[0].AccessKeyID != alice.AccessKeyID {
		t.Errorf("alice's session calls %+v, want one signed by the stored key", calls)
	}
	e.ResetCounts()
	if r := hop(t, env, "exec", "alice", "--", "true"); r.code != 0 || e.Calls() != 0 {
		t.Errorf("warm exec of alice with plaintext keys beside: exit %d, %d calls", r.code, e.Calls())
	}
}

// TestStoredKeyRoleFromKey: a role that asks for more than an hour, and
// any role with --no-session, is assumed with the key itself and its own
// MFA code, with no GetSessionToken.
func TestStoredKeyRoleFromKey(t *testing.T) {
	e, env, alice := longRoleWorld(t)
	for _, args := range [][]string{
		{"exec", "long-role", "-t", "111111", "--", "true"},
		{"exec", "admin-role", "--no-session", "-t", "111111", "--", "true"},
	} {
		e.ResetCounts()
		e.Moto.Inject("sts:AssumeRole", 1, faultproxyAnswer())
		r := hopNoTTY(t, env, args...)
		want := []faultproxy.Call{{Operation: "sts:AssumeRole", AccessKeyID: alice.AccessKeyID, SerialNumber: aliceSerial, TokenCode: "111111"}}
		if calls := e.Moto.Calls(); r.code != 0 || !slices.Equal(calls, want) {
			t.Errorf("hop %v: exit %d (%s), calls %+v; want %+v", args, r.code, r.stderr, calls, want)
		}
	}
}

// longRoleWorld is alice's stored key and long-role, a role on it that asks
// for two hours, which STS refuses to a role chained from a session.
func longRoleWorld(t *testing.T) (*testenv.Env, []string, testenv.Keys) {
	t.Helper()
	e := testenv.Start(t)
	env := e.Environ()
	e.AppendConfig(t, keysConfig+`
[profile long-role]
role_arn = `+testenv.RoleARN+`
source_profile = alice
mfa_serial = `+aliceSerial+`
duration_seconds = 7200
`)
	alice := e.NewUser(t, "alice", aliceActions...)
	addAlice(t, e, env, alice)
	return e, env, alice
}
