package creds

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/creds/config"
)

const storedConfig = `
[profile alice]
mfa_serial = arn:aws:iam::111122223333:mfa/alice
region = eu-west-1

[profile admin]
role_arn = arn:aws:iam::444455556666:role/Admin
source_profile = alice
mfa_serial = arn:aws:iam::111122223333:mfa/alice

[profile readonly]
role_arn = arn:aws:iam::444455556666:role/ReadOnly
source_profile = alice

[profile long]
role_arn = arn:aws:iam::444455556666:role/Long
source_profile = alice
mfa_serial = arn:aws:iam::111122223333:mfa/alice
duration_seconds = 7200

[profile other-device]
role_arn = arn:aws:iam::444455556666:role/Other
source_profile = alice
mfa_serial = arn:aws:iam::111122223333:mfa/token2

[profile bob]

[profile bobs-role]
role_arn = arn:aws:iam::444455556666:role/Bob
source_profile = bob
mfa_serial = arn:aws:iam::111122223333:mfa/bob

[profile chained]
role_arn = arn:aws:iam::444455556666:role/Chained
source_profile = admin

[profile short]
duration_seconds = 1800
`

// TestStoredKeyChains: a profile with no source of its own takes a stored
// key, and a GetSessionToken session stands between the key and the roles
// on it, carrying the MFA serial the key's profile (or else its first role)
// names, unless the role asks for more than a session-made role may have.
func TestStoredKeyChains(t *testing.T) {
	tests := []struct {
		profile string
		want    string
		// session is the root's session as "serial duration", "" for none.
		session string
		// inSession is whether the first role's MFA is the session's.
		inSession bool
	}{
		{profile: "alice", want: "alice:stored-key", session: "arn:aws:iam::111122223333:mfa/alice 1h0m0s"},
		{profile: "admin", want: "alice:stored-key admin:role", session: "arn:aws:iam::111122223333:mfa/alice 8h0m0s", inSession: true},
		{profile: "readonly", want: "alice:stored-key readonly:role", session: "arn:aws:iam::111122223333:mfa/alice 8h0m0s"},
		{profile: "long", want: "alice:stored-key long:role", session: ""},
		{profile: "other-device", want: "alice:stored-key other-device:role", session: "arn:aws:iam::111122223333:mfa/alice 8h0m0s"},
		{profile: "bob", want: "bob:stored-key", session: " 1h0m0s"},
		{profile: "bobs-role", want: "bob:stored-key bobs-role:role", session: "arn:aws:iam::111122223333:mfa/bob 8h0m0s", inSession: true},
		{profile: "chained", want: "alice:stored-key admin:role chained:role", session: "arn:aws:iam::111122223333:mfa/alice 8h0m0s", inSession: true},
		{profile: "short", want: "short:stored-key", session: " 30m0s"},
	}
	cfg := loadConfig(t, storedConfig, "")
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			c, err := Resolve(cfg, tt.profile)
			if err != nil {
				t.Fatal(err)
			}
			if got := kinds(c); got != tt.want {
				t.Errorf("chain = %q, want %q", got, tt.want)
			}
			session := ""
			if s := c.Hops[0].Session; s != nil {
				session = s.MFASerial + " " + s.Duration.String()
			}
			if session != tt.session {
				t.Errorf("session = %q, want %q", session, tt.session)
			}
			if len(c.Hops) > 1 && c.Hops[1].MFAInSession != tt.inSession {
				t.Errorf("first role's MFAInSession = %v, want %v", c.Hops[1].MFAInSession, tt.inSession)
			}
			if !c.Hops[0].Cacheable() != (tt.session == "") {
				t.Errorf("root cacheable = %v with session %q", c.Hops[0].Cacheable(), tt.session)
			}
		})
	}
}

// TestStoredKeySessionIsShared: the key's own profile and every role on it
// share one session entry, whatever length each asks for; a different MFA
// serial or --no-session is a different entry.
func TestStoredKeySessionIsShared(t *testing.T) {
	cfg := loadConfig(t, storedConfig, "")
	getenv := func(string) string { return "" }
	key := func(profile string) string {
		c, err := Resolve(cfg, profile)
		if err != nil {
			t.Fatal(err)
		}
		return SessionKey(c, 0, getenv)
	}
	if key("alice") != key("admin") || key("admin") != key("readonly") {
		t.Errorf("alice, admin and readonly do not share alice's session: %s %s %s", key("alice"), key("admin"), key("readonly"))
	}
	if key("bob") == key("bobs-role") {
		t.Error("bob's session without MFA and bobs-role's with MFA share an entry")
	}
	c, _ := Resolve(cfg, "admin")
	longer, err := c.WithSessionDuration(12 * time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if SessionKey(longer, 0, getenv) != key("admin") || SessionKey(longer, 1, getenv) != SessionKey(c, 1, getenv) {
		t.Error("--duration changed the cache entries")
	}
	if longer.Hops[0].Session.Duration != 12*time.Hour || c.Hops[0].Session.Duration != SessionForRoles {
		t.Error("--duration did not apply to a copy of the chain")
	}
	bare := c.WithoutSession()
	if bare.Hops[0].Session != nil || bare.Hops[1].MFAInSession || c.Hops[0].Session == nil {
		t.Fatal("--no-session did not drop the session from a copy of the chain")
	}
	if bare.Hops[0].Cacheable() || SessionKey(bare, 1, getenv) == SessionKey(c, 1, getenv) {
		t.Error("a role assumed with the bare key shares the entry of one assumed with the session")
	}
	if _, err := c.WithSessionDuration(time.Minute); err == nil {
		t.Error("--duration 1m accepted")
	}
	long, _ := Resolve(cfg, "long")
	if _, err := long.WithSessionDuration(2 * time.Hour); err == nil {
		t.Error("--duration accepted for a chain without a session")
	}
}

func TestStoredKeyUsersAndConflicts(t *testing.T) {
	cfg := loadConfig(t, storedConfig+"[profile sso]\nsso_session = x\n[profile proc]\ncredential_process = /bin/true\n", "")
	if got := strings.Join(StoredKeyUsers(cfg, "alice"), " "); got != "alice admin readonly long other-device chained" {
		t.Errorf("alice's users = %q", got)
	}
	for profile, key := range map[string]string{"admin": "role_arn", "sso": "sso_session", "proc": "credential_process"} {
		err := StoredKeyConflict(cfg, profile)
		if err == nil || !strings.Contains(err.Error(), "sets "+key) || !strings.Contains(err.Error(), "profile "+profile) {
			t.Errorf("StoredKeyConflict(%s) = %v, want it to name %s", profile, err, key)
		}
	}
	for _, profile := range []string{"alice", "bob", "nosuch"} {
		if err := StoredKeyConflict(cfg, profile); err != nil {
			t.Errorf("StoredKeyConflict(%s) = %v", profile, err)
		}
	}
}

func TestCheckKey(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	for _, tt := range []struct{ id, secret, err string }{
		{"AKIAIOSFODNN7EXAMPLE", secret, ""},
		{"AKIA IOSFODNN7EXAMPLE", secret, "character IAM never uses (' ')"},
		{"ABCD", secret, "is 4 characters"},
		{"AKIAIOSFODNN7EXAMPLE", "", "secret access key is empty"},
		{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI K7MDENG", "space or control character"},
	} {
		err := CheckKey(tt.id, tt.secret)
		if (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("CheckKey(%q) = %v, want %q", tt.id, err, tt.err)
		}
		if err != nil && (strings.Contains(err.Error(), tt.id) || tt.secret != "" && strings.Contains(err.Error(), tt.secret)) {
			t.Errorf("CheckKey's error repeats what was typed: %v", err)
		}
	}
}

// TestAppendProfile: the section goes at the end and every byte before it
// stays; the file keeps its mode, and a new one is 0600.
func TestAppendProfile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "aws", "config")
	for _, old := range []string{"", "[default]\nregion = x", "# comment\r\n[profile a]\r\nregion = y\r\n"} {
		if old != "" {
			if err := os.WriteFile(path, []byte(old), 0o640); err != nil {
				t.Fatal(err)
			}
			// Whatever the umask made of it.
			if err := os.Chmod(path, 0o640); err != nil {
				t.Fatal(err)
			}
		} else {
			os.Remove(path)
		}
		if err := config.AppendProfile(path, "new"); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		if !strings.HasPrefix(string(got), old) || !strings.HasSuffix(string(got), "[profile new]\n") {
			t.Errorf("after appending to %q: %q", old, got)
		}
		cfg, err := config.Load(path, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := cfg.Profile("new"); !ok {
			t.Errorf("after appending to %q the profile does not parse: %q", old, got)
		}
		want := fs.FileMode(0o640)
		if old == "" {
			want = 0o600
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != want {
			t.Errorf("after appending to %q: mode %v, want %v", old, fi.Mode().Perm(), want)
		}
	}
	// A symlinked config stays a symlink.
	real := filepath.Join(dir, "dotfiles-config")
	if err := os.WriteFile(real, []byte("[profile a]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if err := config.AppendProfile(link, "b"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v", err)
	}
	if got, _ := os.ReadFile(real); string(got) != "[profile a]\n\n[profile b]\n" {
		t.Errorf("the linked file holds %q", got)
	}
	for _, bad := range []string{"a]b", " a", "a\nb", ""} {
		if err := config.AppendProfile(path, bad); err == nil {
			t.Errorf("AppendProfile(%q) accepted", bad)
		}
	}
}

// FuzzLongTermKey: any item payload parses or is refused without a
// panic, and a key that passes CheckKey comes back unchanged.
func FuzzLongTermKey(f *testing.F) {
	f.Add([]byte(`{"AccessKeyId":"AKIAIOSFODNN7EXAMPLE","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}`))
	f.Add([]byte(`{"AccessKeyId":""}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := ParseLongTermKey(data)
		if err != nil {
			return
		}
		if CheckKey(k.AccessKeyID, k.SecretAccessKey) != nil {
			return
		}
		again, err := json.Marshal(k)
		if err != nil {
			t.Fatal(err)
		}
		if k2, err := ParseLongTermKey(again); err != nil || k2 != k {
			t.Errorf("%+v does not round-trip: %+v, %v", k, k2, err)
		}
	})
}
