//go:build e2e && unix

package e2e

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	osexec "os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hop-cli/hop/creds/config"
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
	// An hour back, so any write shows in the mtime whatever the
	// filesystem's clock granularity.
	past := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(e.ConfigFile, past, past); err != nil {
		t.Fatal(err)
	}
	ino := inode(t, e.ConfigFile)
	r = hop(t, env, "sso", "sync")
	if r.code != 0 || !strings.Contains(r.stderr, "nothing written") {
		t.Fatalf("second sync: exit %d: %s", r.code, r.stderr)
	}
	info2, _ := os.Stat(e.ConfigFile)
	if inode(t, e.ConfigFile) != ino || !info2.ModTime().Equal(past) {
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
	p.WaitFor("$ ")
	p.Type(`hop sso sync; echo sync""=$?`)
	p.Press("Enter")
	p.WaitFor("hop: listing roles: ")
	screen := p.WaitFor("sync=")
	if !strings.Contains(screen, "sync=0") || strings.Contains(screen, "listing roles") {
		t.Errorf("want the progress gone once sync ends, and status 0; screen:\n%s", screen)
	}
}

// getenvOf looks a variable up in env, as hop run in env would.
func getenvOf(env []string) func(string) string {
	return func(key string) string {
		for _, kv := range slices.Backward(env) {
			if k, v, ok := strings.Cut(kv, "="); ok && k == key {
				return v
			}
		}
		return ""
	}
}

// writeConfigIndex runs hop explain until it has indexed the config: the
// index skips a file changed in the last two seconds, which may still
// change unseen within a clock tick.
func writeConfigIndex(t *testing.T, env []string) {
	t.Helper()
	dir := config.IndexDir(getenvOf(env))
	deadline := time.Now().Add(time.Minute)
	for {
		if r := hop(t, env, "explain", "example"); r.code != 0 {
			t.Fatalf("hop explain example: exit %d: %s", r.code, r.stderr)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("hop explain never indexed the config in %s", dir)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestSSOSessionsThroughTheIndex: once a command has indexed the config,
// the commands that look for its only [sso-session] still find it.
func TestSSOSessionsThroughTheIndex(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	// hop indexes only configs over 8 KiB: smaller ones are parsed whole.
	f, err := os.OpenFile(e.ConfigFile, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(strings.Repeat("# a config large enough to index\n", 300)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	writeConfigIndex(t, env)

	if r := hop(t, env, "login"); r.code != 0 {
		t.Errorf("hop login with the config indexed: exit %d: %s", r.code, r.stderr)
	}
	if r := hop(t, env, "sso", "sync"); r.code != 0 || !strings.Contains(readFile(t, e.ConfigFile), "[profile account-123412341234.assumerolepolicy]") {
		t.Errorf("hop sso sync with the config indexed: exit %d: %s", r.code, r.stderr)
	}
	writeConfigIndex(t, env)
	for _, line := range []string{"hop sso sync --sso-session ", "hop login --sso-session "} {
		r := hop(t, append(env, "COMP_LINE="+line))
		if r.code != 0 || !slices.Equal(strings.Fields(r.stdout), []string{testenv.SSOSession}) {
			t.Errorf("%q<TAB> with the config indexed: exit %d, %q, %q", line, r.code, r.stdout, r.stderr)
		}
	}
}

// endlessPortal is a hostile portal whose listings never end: each page
// has a next token, the same one or a new one each time. It gives up
// after giveUp pages, so that a hop that follows every token fails rather
// than hangs.
func endlessPortal(t *testing.T, roles, sameToken bool) (url string, pages *atomic.Int64) {
	const giveUp = 3000
	pages = new(atomic.Int64)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := pages.Add(1)
		if n > giveUp {
			http.Error(w, `{"message":"the test portal gave up"}`, http.StatusBadRequest)
			return
		}
		token := fmt.Sprint(n)
		if sameToken {
			token = "again"
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/assignment/accounts":
			if roles {
				token = ""
			}
			fmt.Fprintf(w, `{"accountList":[{"accountId":"111122223333","accountName":"A"}],"nextToken":%q}`, token)
		case "/assignment/roles":
			fmt.Fprintf(w, `{"roleList":[{"roleName":"R","accountId":"111122223333"}],"nextToken":%q}`, token)
		default:
			http.NotFound(w, r)
		}
	}))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL, pages
}

// TestSSOSyncEndlessPages: a portal whose listing of accounts, or of an
// account's roles, never ends is followed to a repeated token or a
// thousand pages, and no further; sync says so and writes nothing.
func TestSSOSyncEndlessPages(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "login"); r.code != 0 {
		t.Fatalf("hop login: exit %d: %s", r.code, r.stderr)
	}
	before := readFile(t, e.ConfigFile)
	for _, c := range []struct {
		name             string
		roles, sameToken bool
		want             string
		pages            int64
	}{
		{"accounts, one token again and again", false, true, "may use: accounts: after 2 pages the portal gave a page token it had given before", 2},
		{"accounts, a new token each page", false, false, "may use: accounts: the portal was still paging after 1000 pages", 1000},
		{"roles, one token again and again", true, true, "may use: account 111122223333's roles: after 2 pages the portal gave a page token it had given before", 3},
		{"roles, a new token each page", true, false, "may use: account 111122223333's roles: the portal was still paging after 1000 pages", 1001},
	} {
		t.Run(c.name, func(t *testing.T) {
			url, pages := endlessPortal(t, c.roles, c.sameToken)
			r := hop(t, append(env, "AWS_ENDPOINT_URL_SSO="+url), "sso", "sync")
			if r.code == 0 || !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, "nothing was written") {
				t.Errorf("exit %d, stderr %q; want a failure saying %q", r.code, r.stderr, c.want)
			}
			if got := pages.Load(); got != c.pages {
				t.Errorf("hop asked for %d pages, want %d", got, c.pages)
			}
			if readFile(t, e.ConfigFile) != before {
				t.Error("the config file changed")
			}
		})
	}
}

// profilesIn maps each profile the file defines to its account and role,
// as "account/role".
func profilesIn(t *testing.T, path string) map[string]string {
	t.Helper()
	cfg, err := config.Load(path, "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range cfg.Profiles() {
		out[p.Name] = p.Get("sso_account_id") + "/" + p.Get("sso_role_name")
	}
	return out
}

// TestSSOSyncNeverMovesAName: two accounts of one name each get a profile
// of their own, named with the account ID; renaming one renames its
// profile, says so, and never hands a name to the other account, nor does
// an older block's plain name go to the other account.
func TestSSOSyncNeverMovesAName(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	const first, second = "111122223333", "777788889999"
	for _, id := range []string{first, second} {
		e.IDC.NameAccount(id, "Prod")
		e.IDC.Grant(id, "Admin", idc.Credentials{AccessKeyID: "AKIA" + id, SecretAccessKey: "unused"})
	}
	base := readFile(t, e.ConfigFile)

	r := hop(t, env, "sso", "sync")
	if r.code != 0 {
		t.Fatalf("first sync: exit %d: %s", r.code, r.stderr)
	}
	got := profilesIn(t, e.ConfigFile)
	for name, want := range map[string]string{"prod.admin@" + first: first + "/Admin", "prod.admin@" + second: second + "/Admin"} {
		if got[name] != want {
			t.Errorf("first sync: profile %s is %q, want %q; stderr %s", name, got[name], want, r.stderr)
		}
	}
	if _, ok := got["prod.admin"]; ok {
		t.Errorf("first sync: prod.admin is %s, one of two accounts named Prod", got["prod.admin"])
	}

	e.IDC.NameAccount(first, "Production")
	r = hop(t, env, "sso", "sync")
	if r.code != 0 {
		t.Fatalf("sync after the rename: exit %d: %s", r.code, r.stderr)
	}
	got = profilesIn(t, e.ConfigFile)
	if got["production.admin"] != first+"/Admin" || got["prod.admin@"+second] != second+"/Admin" || got["prod.admin"] != "" || got["prod.admin@"+first] != "" {
		t.Errorf("after the rename: %v", got)
	}
	if want := "hop: note: profile prod.admin@" + first + " (role Admin in account " + first + ") is now production.admin"; !strings.Contains(r.stderr, want) {
		t.Errorf("after the rename, stderr %q does not say %q", r.stderr, want)
	}

	// A block an earlier hop wrote gave the plain name to the first
	// account, and none to the second.
	old := "\n# >>> hop sso sync: sso-session corp >>>\n\n[profile prod.admin]\nsso_session = corp\nsso_account_id = " + first +
		"\nsso_role_name = Admin\nregion = us-east-1\n\n# <<< hop sso sync: sso-session corp <<<\n"
	if err := os.WriteFile(e.ConfigFile, []byte(base+old), 0o600); err != nil {
		t.Fatal(err)
	}
	r = hop(t, env, "sso", "sync")
	if r.code != 0 {
		t.Fatalf("sync over the older block: exit %d: %s", r.code, r.stderr)
	}
	got = profilesIn(t, e.ConfigFile)
	if got["production.admin"] != first+"/Admin" || got["prod.admin@"+second] != second+"/Admin" || got["prod.admin"] != "" {
		t.Errorf("over the older block: %v", got)
	}
	for _, want := range []string{
		"hop: note: profile prod.admin (role Admin in account " + first + ") is now production.admin; prod.admin is gone",
		"hop: note: role Admin in account " + second + " is profile prod.admin@" + second + ": prod.admin is role Admin in account " + first + "'s until now",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("over the older block, stderr %q does not say %q", r.stderr, want)
		}
	}

	// Revoked: the name goes, and sync says so.
	e.IDC.Revoke(first, "Admin")
	r = hop(t, env, "sso", "sync")
	if want := "hop: note: profile production.admin is gone: Identity Center no longer lists role Admin in account " + first; r.code != 0 || !strings.Contains(r.stderr, want) {
		t.Errorf("after the revoke: exit %d, stderr %q; want %q", r.code, r.stderr, want)
	}
}

// TestSSOSyncNamesFromHostileAccountNames: a portal's account names of
// 5,000 characters, control characters and shell syntax make short, plain
// profile names, each still its own.
func TestSSOSyncNamesFromHostileAccountNames(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	long := strings.Repeat("Ünïcode \x1b[31m$(rm -rf ~) ", 200)
	for _, id := range []string{"111122223333", "777788889999"} {
		e.IDC.NameAccount(id, long+id[:1])
		e.IDC.Grant(id, "Admin", idc.Credentials{AccessKeyID: "AKIA" + id, SecretAccessKey: "unused"})
	}
	if r := hop(t, env, "sso", "sync"); r.code != 0 {
		t.Fatalf("sync: exit %d: %s", r.code, r.stderr)
	}
	got := profilesIn(t, e.ConfigFile)
	accounts := map[string]bool{}
	for name, target := range got {
		if !strings.HasSuffix(target, "/Admin") || strings.HasPrefix(target, testenv.AccountID) {
			continue
		}
		accounts[target] = true
		if len(name) > 100 || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789._-/@+") != "" {
			t.Errorf("profile %q (%d bytes) for %s", name, len(name), target)
		}
	}
	if len(accounts) != 2 {
		t.Errorf("profiles %v: want one for each account", got)
	}
}

// syscalls runs hop with args in env under strace, and returns the calls
// named in trace, every thread's, in the order they were made.
func syscalls(t *testing.T, env []string, trace string, args ...string) (result, []string) {
	t.Helper()
	strace, err := osexec.LookPath("strace")
	if err != nil {
		t.Skip("no strace")
	}
	prefix := filepath.Join(t.TempDir(), "trace")
	// A file per thread: lines of several threads never interleave.
	r := runBin(t, strace, env, append([]string{"-f", "-ff", "-ttt", "-qq", "-e", "trace=" + trace, "-o", prefix, hopBin}, args...)...)
	files, _ := filepath.Glob(prefix + ".*")
	var lines []string
	for _, f := range files {
		lines = append(lines, strings.Split(strings.TrimSpace(readFile(t, f)), "\n")...)
	}
	// Each line starts with its time, seconds since the epoch to the
	// microsecond: sorting them as text is sorting by time.
	slices.Sort(lines)
	return r, lines
}

// checkTempsStayPrivate fails t if a temporary copy of the config file
// was opened up before it was whole: it is created 0600, and any wider
// mode comes after its fsync.
func checkTempsStayPrivate(t *testing.T, calls []string) {
	t.Helper()
	created := 0
	fd, synced := "", false
	for _, line := range calls {
		switch {
		case strings.Contains(line, "openat(") && strings.Contains(line, "/.config.hop-") && strings.Contains(line, "O_CREAT"):
			created++
			if !strings.Contains(line, ", 0600)") {
				t.Errorf("the temporary file is not created 0600: %s", line)
			}
			_, fd, _ = strings.Cut(line, ") = ")
			synced = false
		case fd != "" && strings.Contains(line, "fsync("+fd+")"):
			synced = true
		case fd != "" && !synced && !strings.Contains(line, ", 0600)") &&
			(strings.Contains(line, "fchmod("+fd+",") || strings.Contains(line, "fchmodat(") && strings.Contains(line, "/.config.hop-")):
			t.Errorf("the temporary file's mode changed before it was whole: %s", line)
		}
	}
	if created == 0 {
		t.Errorf("strace saw no temporary file created:\n%s", strings.Join(calls, "\n"))
	}
}

// TestConfigWritesKeepModeAndLeaveNoCopies: hop add and hop sso sync keep
// the config file's mode; the copies they write it through are 0600
// until whole; and copies a killed run left behind, an hour old, go at the
// next write, while a young one (another write's) and files hop did not
// name stay.
func TestConfigWritesKeepModeAndLeaveNoCopies(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	dir := filepath.Dir(e.ConfigFile)
	longAgo := time.Now().Add(-2 * time.Hour)
	plant := func(name string, when time.Time) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(testenv.Config), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, when, when); err != nil {
			t.Fatal(err)
		}
	}
	const trace = "openat,fchmod,fchmodat,fsync"
	for _, c := range []struct {
		name string
		env  []string
		args []string
		// want is what stays of the files planted.
		want []string
	}{
		{"hop add", setenv(env, "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), []string{"add", "newkey", "--env"},
			[]string{".config.hop-4242x", ".config.hop-99", ".config.hop-backup.hop-4242"}},
		// sync writes the backup too, which sweeps its own.
		{"hop sso sync", env, []string{"sso", "sync"}, []string{".config.hop-4242x", ".config.hop-99"}},
		{"hop sso sync with nothing to write", env, []string{"sso", "sync"}, []string{".config.hop-4242x", ".config.hop-99"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := os.Chmod(e.ConfigFile, 0o644); err != nil {
				t.Fatal(err)
			}
			plant(".config.hop-4242", longAgo)
			plant(".config.hop-backup.hop-4242", longAgo)
			plant(".config.hop-99", time.Now())
			plant(".config.hop-4242x", longAgo)
			r, calls := syscalls(t, c.env, trace, c.args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if nothing := strings.HasSuffix(c.name, "nothing to write"); nothing != strings.Contains(r.stderr, "nothing written") {
				t.Errorf("stderr %q", r.stderr)
			} else if !nothing {
				checkTempsStayPrivate(t, calls)
			}
			if fi, err := os.Stat(e.ConfigFile); err != nil || fi.Mode().Perm() != 0o644 {
				t.Errorf("the config file's mode is %v (%v), want 0644 kept", fi.Mode().Perm(), err)
			}
			left, _ := filepath.Glob(filepath.Join(dir, ".config.hop-*"))
			for i := range left {
				left[i] = filepath.Base(left[i])
			}
			slices.Sort(left)
			if !slices.Equal(left, c.want) {
				t.Errorf("left beside the config: %q, want %q", left, c.want)
			}
			for _, name := range left {
				os.Remove(filepath.Join(dir, name))
			}
		})
	}
	if fi, err := os.Stat(e.ConfigFile + profilegen.BackupSuffix); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the backup's mode is %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}

// TestClearSSONamesEachSession: sessions that share a start URL, and a
// profile that names the same URL itself, are each signed out on a line
// of their own that says which.
func TestClearSSONamesEachSession(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.AppendConfig(t, "[sso-session corp2]\nsso_start_url = "+testenv.StartURL+"\nsso_region = "+testenv.SSORegion+"\n\n"+
		"[profile legacy]\nsso_start_url = "+testenv.StartURL+"\nsso_region = "+testenv.SSORegion+"\nsso_account_id = "+testenv.AccountID+"\nsso_role_name = "+testenv.PermissionSet+"\n\n"+
		"[profile legacy-too]\nsso_start_url = "+testenv.StartURL+"\nsso_region = "+testenv.SSORegion+"\nsso_account_id = "+testenv.AccountID+"\nsso_role_name = "+testenv.PermissionSet+"\n")
	for _, args := range [][]string{{"login", "example"}, {"login", "--sso-session", "corp2"}, {"login", "legacy"}} {
		if r := hop(t, env, args...); r.code != 0 {
			t.Fatalf("hop %v: exit %d: %s", args, r.code, r.stderr)
		}
	}
	tokens, _ := filepath.Glob(filepath.Join(e.Home, ".aws", "sso", "cache", "*.json"))
	if len(tokens) != 3 {
		t.Fatalf("%d tokens cached, want 3", len(tokens))
	}
	r := hop(t, env, "clear", "--sso")
	if r.code != 0 {
		t.Fatalf("hop clear --sso: exit %d: %s", r.code, r.stderr)
	}
	var lines []string
	for line := range strings.Lines(r.stderr) {
		if strings.HasPrefix(line, "hop: signed out of ") {
			lines = append(lines, strings.TrimSpace(line))
		}
	}
	slices.Sort(lines)
	want := []string{
		"hop: signed out of " + testenv.StartURL,
		"hop: signed out of sso-session corp (" + testenv.StartURL + ")",
		"hop: signed out of sso-session corp2 (" + testenv.StartURL + ")",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("signed out:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if left, _ := filepath.Glob(filepath.Join(e.Home, ".aws", "sso", "cache", "*.json")); len(left) != 0 {
		t.Errorf("tokens left: %q", left)
	}
}

// TestMissingConfigIsNamed: with no ~/.aws/config, a command that needs a
// profile or an sso-session names the file as missing and says how to
// make it, rather than that a profile is not in it.
func TestMissingConfigIsNamed(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if err := os.Remove(e.ConfigFile); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"exec", "example", "--", "true"},
		{"explain", "example"},
		{"export", "example"},
		{"login", "example"},
		{"login"},
		{"sso", "sync"},
	} {
		r := hop(t, env, args...)
		// explain shows the problem as its answer, on stdout.
		said := r.stderr + r.stdout
		if r.code == 0 || !strings.Contains(said, e.ConfigFile) || !strings.Contains(said, "does not exist") || !strings.Contains(said, "aws configure sso") {
			t.Errorf("hop %v with no config file: exit %d, stderr %q, stdout %q; want it named as missing", args, r.code, r.stderr, r.stdout)
		}
	}
}

// TestClearSSOSaysWhatItDid: `hop clear --sso` says "signed out" only of a
// session it signed out of; of one never signed in to, that there was
// nothing to do; of one whose token had ended, that it removed the token.
// None of these is an error.
func TestClearSSOSaysWhatItDid(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	e.AppendConfig(t, "\n[sso-session never]\nsso_start_url = https://never.example/start\nsso_region = "+testenv.SSORegion+"\n"+
		"\n[sso-session ended]\nsso_start_url = "+testenv.StartURL+"\nsso_region = "+testenv.SSORegion+"\n")
	for _, args := range [][]string{{"login", "example"}, {"login", "--sso-session", "ended"}} {
		if r := hop(t, env, args...); r.code != 0 {
			t.Fatalf("hop %v: exit %d: %s", args, r.code, r.stderr)
		}
	}
	// The "ended" session's token ran out an hour ago.
	sum := sha1.Sum([]byte("ended"))
	path := filepath.Join(e.Home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
	var tok map[string]any
	data, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(data, &tok)
	}
	if err != nil {
		t.Fatalf("the ended session's token: %v", err)
	}
	tok["expiresAt"] = time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	if data, err = json.Marshal(tok); err != nil || os.WriteFile(path, data, 0o600) != nil {
		t.Fatal(err)
	}
	calls := e.Calls()
	r := hop(t, env, "clear", "--sso")
	if r.code != 0 {
		t.Fatalf("hop clear --sso: exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"hop: signed out of sso-session corp (" + testenv.StartURL + ")",
		"hop: not signed in to sso-session never (https://never.example/start); nothing to sign out of",
		"hop: the session for sso-session ended (" + testenv.StartURL + ") had already ended; removed its token",
	} {
		if !strings.Contains(r.stderr, want+"\n") {
			t.Errorf("want the line %q; stderr:\n%s", want, r.stderr)
		}
	}
	if n := strings.Count(r.stderr, "signed out of"); n != 1 {
		t.Errorf("%d sessions said signed out, want 1 (corp); stderr:\n%s", n, r.stderr)
	}
	if n := e.Calls() - calls; n != 1 {
		t.Errorf("%d requests to Identity Center, want 1 (corp's sign-out)", n)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("the ended session's token is still cached")
	}
}
