package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/faultproxy"
	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
	"github.com/hop-cli/hop/profilegen"
)

// handWritten is a user's own profile whose name a generated one would
// take, in the user's own layout.
const handWritten = `
# my own, do not touch
[profile  team-03.readonly]
sso_session=corp
sso_account_id = 100000000003
sso_role_name = ReadOnly
region = eu-west-1   ; keeps this region
`

// grantMany gives the signed-in user 24 more accounts, named, with one to
// three permission sets each.
func grantMany(e *testenv.Env) {
	e.IDC.NameAccount(testenv.AccountID, "Corp Main")
	for i := 1; i <= 24; i++ {
		id := fmt.Sprintf("1000000000%02d", i)
		e.IDC.NameAccount(id, fmt.Sprintf("Team %02d", i))
		for _, role := range []string{"ReadOnly", "Admin", "Billing"}[:1+i%3] {
			e.IDC.Grant(id, role, idc.Credentials{AccessKeyID: "AKIA" + id, SecretAccessKey: "unused"})
		}
	}
}

// outsideBlock is text with hop's block for session corp cut out.
func outsideBlock(t *testing.T, text string) string {
	t.Helper()
	begin := strings.Index(text, "# >>> hop sso sync: sso-session corp >>>\n")
	endMarker := "# <<< hop sso sync: sso-session corp <<<\n"
	end := strings.Index(text, endMarker)
	if begin < 0 || end < begin {
		t.Fatalf("no block for corp in:\n%s", text)
	}
	return text[:begin] + text[end+len(endMarker):]
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestSSOSync(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	grantMany(e)
	e.AppendConfig(t, handWritten)
	before := readFile(t, e.ConfigFile)

	// Small pages and throttling on both listings: every page must still
	// arrive. Four throttled answers in a row to one call are more than a
	// single call's retries allow.
	e.IDC.SetMaxPageSize(4)
	e.IDC.Fail(idc.OpListAccounts, 1, http.StatusTooManyRequests, "TooManyRequestsException")
	e.IDC.Fail(idc.OpListAccountRoles, 4, http.StatusTooManyRequests, "TooManyRequestsException")

	r := hop(t, env, "sso", "sync")
	if r.code != 0 {
		t.Fatalf("hop sso sync: exit %d: %s", r.code, r.stderr)
	}
	t.Logf("stderr: %s", r.stderr)
	if got := e.IDC.Count(idc.OpListAccounts); got < 7 {
		t.Errorf("%d ListAccounts calls, want at least 7 (25 accounts in pages of 4, one throttled)", got)
	}
	after := readFile(t, e.ConfigFile)
	// before ends in a blank line (AppendConfig's), so the block goes
	// straight after it.
	if got := outsideBlock(t, after); got != before {
		t.Errorf("the file outside the block changed:\n--- before\n%s\n--- after, block cut out\n%s", before, got)
	}
	if !strings.Contains(r.stderr, "role ReadOnly in account 100000000003 is profile team-03.readonly@100000000003: team-03.readonly is written by hand") {
		t.Errorf("no note about the hand-written profile: %s", r.stderr)
	}
	if strings.Count(after, "[profile  team-03.readonly]") != 1 || strings.Contains(after, "[profile team-03.readonly]") {
		t.Errorf("the hand-written profile was generated over:\n%s", after)
	}
	// Corp Main's one role, and 1+i%3 roles in account i, the one in the
	// way under a name of its own.
	want := 1
	for i := 1; i <= 24; i++ {
		want += 1 + i%3
	}
	if got := strings.Count(after, "\n[profile ") - strings.Count(before, "\n[profile "); got != want {
		t.Errorf("%d profiles generated, want %d:\n%s", got, want, after)
	}
	for _, s := range []string{
		"[profile corp-main.assumerolepolicy]\nsso_session = corp\nsso_account_id = 123412341234\nsso_role_name = AssumeRolePolicy\nregion = us-east-1\n",
		"[profile team-02.billing]\n",
		"[profile team-03.readonly@100000000003]\nsso_session = corp\nsso_account_id = 100000000003\nsso_role_name = ReadOnly\n",
	} {
		if !strings.Contains(after, s) {
			t.Errorf("the file lacks %q", s)
		}
	}
	if got := readFile(t, e.ConfigFile+profilegen.BackupSuffix); got != before {
		t.Errorf("the backup is not the previous file")
	}

	// The picker will show the accounts' names.
	if st := readFile(t, filepath.Join(e.Home, ".local", "state", "hop", "state.json")); !strings.Contains(st, `"100000000002":"Team 02"`) {
		t.Errorf("the state file does not name the accounts: %s", st)
	}

	// A generated profile works as any other.
	r = hop(t, env, "exec", "corp-main.assumerolepolicy", "--", "aws", "sts", "get-caller-identity", "--query", "Arn", "--output", "text")
	if r.code != 0 || !strings.Contains(r.stdout, testenv.AssumerUser) {
		t.Fatalf("hop exec on a generated profile: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	// Nothing changed: nothing written, not even the same bytes.
	info, _ := os.Stat(e.ConfigFile)
	ino := inode(t, e.ConfigFile)
	time.Sleep(10 * time.Millisecond) // so a rewrite would show in the mtime
	r = hop(t, env, "sso", "sync")
	if r.code != 0 || !strings.Contains(r.stderr, "nothing written") {
		t.Fatalf("second sync: exit %d: %s", r.code, r.stderr)
	}
	info2, _ := os.Stat(e.ConfigFile)
	if inode(t, e.ConfigFile) != ino || !info2.ModTime().Equal(info.ModTime()) {
		t.Errorf("a sync that changed nothing rewrote the file")
	}

	// The user edits around the block; Identity Center adds and removes.
	edited := strings.Replace(after, "[profile example]", "# a note of mine\n[profile example]", 1) + "\n[profile later]\nregion = eu-west-2\n"
	if err := os.WriteFile(e.ConfigFile, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	e.IDC.Revoke("100000000002", "Billing")
	e.IDC.Grant("100000000001", "Auditor", idc.Credentials{AccessKeyID: "AKIA1", SecretAccessKey: "unused"})

	r = hop(t, env, "sso", "sync", "--dry-run")
	if r.code != 0 {
		t.Fatalf("dry run: exit %d: %s", r.code, r.stderr)
	}
	for _, s := range []string{"-[profile team-02.billing]", "+[profile team-01.auditor]"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("the dry run's diff lacks %q:\n%s", s, r.stdout)
		}
	}
	if readFile(t, e.ConfigFile) != edited {
		t.Fatal("a dry run changed the file")
	}

	r = hop(t, env, "sso", "sync")
	if r.code != 0 {
		t.Fatalf("third sync: exit %d: %s", r.code, r.stderr)
	}
	final := readFile(t, e.ConfigFile)
	if outsideBlock(t, final) != outsideBlock(t, edited) {
		t.Errorf("the user's edits outside the block changed:\n%s", final)
	}
	if strings.Contains(final, "team-02.billing") || !strings.Contains(final, "[profile team-01.auditor]") {
		t.Errorf("the block did not follow Identity Center:\n%s", final)
	}
	if info, err := os.Stat(e.ConfigFile); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("config file mode %v (%v), want 0600 kept", info.Mode(), err)
	}
}

// TestSSOSyncTemplateAndSessions: a --name template, a second sso-session
// with its own block, and names the template must clean.
func TestSSOSyncTemplateAndSessions(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.IDC.NameAccount(testenv.AccountID, "Prod: $(touch pwned) [EU]")
	e.AppendConfig(t, "[sso-session other]\nsso_start_url = https://other.awsapps.com/start\nsso_region = eu-west-1\n")

	r := hop(t, env, "sso", "sync")
	if r.code == 0 || !strings.Contains(r.stderr, "name one with --sso-session") {
		t.Fatalf("two sessions and none named: exit %d, stderr %q", r.code, r.stderr)
	}
	r = hop(t, env, "sso", "sync", "--sso-session", "corp", "--name", "{account_name}/{role_name}/{account_id}")
	if r.code != 0 {
		t.Fatalf("sync corp: exit %d: %s", r.code, r.stderr)
	}
	r = hop(t, env, "sso", "sync", "--sso-session", "other", "--name", "Other/{account_name}", "--region", "eu-central-1")
	if r.code != 0 {
		t.Fatalf("sync other: exit %d: %s", r.code, r.stderr)
	}
	text := readFile(t, e.ConfigFile)
	for _, s := range []string{
		"# >>> hop sso sync: sso-session corp >>>",
		"# >>> hop sso sync: sso-session other >>>",
		"[profile prod-touch-pwned-eu/assumerolepolicy/123412341234]\nsso_session = corp\nsso_account_id = 123412341234\nsso_role_name = AssumeRolePolicy\nregion = us-east-1\n",
		"[profile other/prod-touch-pwned-eu]\nsso_session = other\nsso_account_id = 123412341234\nsso_role_name = AssumeRolePolicy\nregion = eu-central-1\n",
	} {
		if strings.Count(text, s) != 1 {
			t.Errorf("want one %q in:\n%s", s, text)
		}
	}

	// The same names for another session: the first session keeps them,
	// and the other's role gets a name of its own, which says why.
	r = hop(t, env, "sso", "sync", "--sso-session", "other", "--name", "{account_name}/{role_name}/{account_id}")
	if r.code != 0 || !strings.Contains(r.stderr, "prod-touch-pwned-eu/assumerolepolicy/123412341234 is generated for sso-session corp") {
		t.Fatalf("a clash between sessions: exit %d, stderr %q", r.code, r.stderr)
	}
	if after := readFile(t, e.ConfigFile); strings.Count(after, "[profile prod-touch-pwned-eu/assumerolepolicy/123412341234]\nsso_session = corp\n") != 1 ||
		strings.Count(after, "[profile prod-touch-pwned-eu/assumerolepolicy/123412341234-dfbff845]\nsso_session = other\n") != 1 {
		t.Errorf("want corp's name kept and other's role under a name of its own:\n%s", after)
	}

	r = hop(t, env, "sso", "sync", "--sso-session", "corp", "--name", "{account}")
	if r.code == 0 || !strings.Contains(r.stderr, "unknown placeholder") {
		t.Errorf("a bad template: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestSSOSyncShowsProgress: a slow listing shows how far it got on a
// terminal, and clears it; on a pipe it says nothing of it.
func TestSSOSyncShowsProgress(t *testing.T) {
	e := testenv.Start(t)
	grantMany(e)
	env := e.Environ()
	if r := hop(t, env, "login"); r.code != 0 {
		t.Fatalf("hop login: %s", r.stderr)
	}
	slow := faultproxy.Fault{Delay: 150 * time.Millisecond}
	e.IDC.Inject(idc.OpListAccountRoles, 100, slow)
	r := hop(t, env, "sso", "sync", "--dry-run")
	if r.code != 0 || strings.Contains(r.stderr, "listing") {
		t.Errorf("sync on a pipe: exit %d, stderr %q; want no progress", r.code, r.stderr)
	}

	e.IDC.Inject(idc.OpListAccountRoles, 100, slow)
	p := newPane(t, env)
	p.waitFor("$ ")
	p.typeText(`hop sso sync; echo sync""=$?`)
	p.press("Enter")
	p.waitFor("hop: listing roles: ")
	screen := p.waitFor("sync=")
	if !strings.Contains(screen, "sync=0") || strings.Contains(screen, "listing roles") {
		t.Errorf("want the progress gone once sync ends, and status 0; screen:\n%s", screen)
	}
}
