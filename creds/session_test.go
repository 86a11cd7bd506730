package creds

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// shown reports whether every character of s is one a terminal prints as
// itself, and nothing a shell or a C string cuts at: the test's own
// statement of what Check must hold to.
func shown(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) || r != ' ' && unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

func TestCredentialsCheck(t *testing.T) {
	const id, secret, token = "ASIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+/=="
	good := Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token, Expires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	if err := good.Check(); err != nil {
		t.Fatalf("real-shaped credentials refused: %v", err)
	}
	for _, tt := range []struct {
		name string
		edit func(*Credentials)
		want string
	}{
		{"no ID", func(c *Credentials) { c.AccessKeyID = "" }, "access key ID is empty"},
		{"no secret", func(c *Credentials) { c.SecretAccessKey = "" }, "secret access key is empty"},
		{"NUL in the secret", func(c *Credentials) { c.SecretAccessKey = "a\x00" }, "secret access key has a control, invisible or invalid character at byte 1"},
		{"NUL in the token", func(c *Credentials) { c.SessionToken = "; touch /tmp/x; #\x00" }, "session token has"},
		{"newline in the ID", func(c *Credentials) { c.AccessKeyID = "ASIA\nX" }, "access key ID has"},
		{"escape in the token", func(c *Credentials) { c.SessionToken = "\x1b]0;x\x07" }, "session token has"},
		{"DEL", func(c *Credentials) { c.SecretAccessKey = "a\x7f" }, "secret access key has"},
		{"C1 NEL", func(c *Credentials) { c.SessionToken = "a\u0085b" }, "session token has"},
		{"bidi override", func(c *Credentials) { c.SecretAccessKey = "a\u202eb" }, "secret access key has"},
		{"line separator", func(c *Credentials) { c.SessionToken = "a\u2028b" }, "session token has"},
		{"not UTF-8", func(c *Credentials) { c.SecretAccessKey = "a\xffb" }, "secret access key has"},
		{"the year 10000", func(c *Credentials) { c.Expires = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "year 10000"},
	} {
		c := good
		tt.edit(&c)
		err := c.Check()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Check() = %v, want %q", tt.name, err, tt.want)
			continue
		}
		for _, v := range []string{c.AccessKeyID, c.SecretAccessKey, c.SessionToken} {
			if len(v) > 4 && strings.Contains(err.Error(), v) {
				t.Errorf("%s: the error repeats a value: %v", tt.name, err)
			}
		}
	}
	// Shapes other stores and tools use pass: LocalStack's "test", a key
	// with no session token or expiry.
	for _, c := range []Credentials{{AccessKeyID: "test", SecretAccessKey: "test"}, {AccessKeyID: "A", SecretAccessKey: "s p a c e"}} {
		if err := c.Check(); err != nil {
			t.Errorf("%+v refused: %v", c, err)
		}
	}
}

// FuzzCredentialsCheck: no value with a control, invisible or invalid
// character is ever accepted, whichever field holds it, and any value of
// printable ASCII is.
func FuzzCredentialsCheck(f *testing.F) {
	f.Add("ASIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "IQoJb3JpZ2luX2VjEJr//////////wEa==")
	f.Add("AKIA", "a\x00", "; touch /tmp/x; #\x00")
	f.Add("A\u0085", "b", "")
	f.Add("A", "b\u200f", "c\r")
	f.Fuzz(func(t *testing.T, id, secret, token string) {
		c := Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token}
		err := c.Check()
		ok := id != "" && secret != "" && shown(id) && shown(secret) && shown(token)
		if err == nil && !ok {
			t.Fatalf("Check accepted %q / %q / %q", id, secret, token)
		}
		ascii := func(s string) bool {
			return strings.IndexFunc(s, func(r rune) bool { return r < ' ' || r > '~' }) < 0
		}
		if err != nil && id != "" && secret != "" && ascii(id) && ascii(secret) && ascii(token) {
			t.Fatalf("Check refused printable ASCII %q / %q / %q: %v", id, secret, token, err)
		}
	})
}

// FuzzParseCached: a keyring item read back (by hop-core's cache or the
// front's warm exec) never yields a value Check would refuse.
func FuzzParseCached(f *testing.F) {
	f.Add([]byte(`{"AccessKeyId":"ASIAX","SecretAccessKey":"s","SessionToken":"t","Expiration":"2099-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"AccessKeyId":"ASIAX","SecretAccessKey":"a\u0000","SessionToken":"; touch /tmp/x; #\u0000","Expiration":"2099-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"AccessKeyId":"ASIAX","SecretAccessKey":"s\u001b","Expiration":"2099-01-01T00:00:00Z"}`))
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Add([]byte(`{"AccessKeyId":"ASIAX","SecretAccessKey":"s","SessionToken":"t","Expiration":"2099-01-01T00:00:00+01:00","AccountId":"123456789012"}`))
	f.Add([]byte(`{"accesskeyid":"ASIAX","SecretAccessKey":"s","Expiration":"2099-01-01T00:00:00Z","AccessKeyId":"B"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		// What readFlat reads, json.Unmarshal reads alike.
		if flat, ok := readFlat(data); ok {
			var want Credentials
			if err := json.Unmarshal(data, &want); err != nil || !reflect.DeepEqual(flat, want) {
				t.Fatalf("readFlat read %q as %+v; json.Unmarshal: %+v, %v", data, flat, want, err)
			}
		}
		cr, err := ParseCached(data, now)
		if err != nil {
			return
		}
		for _, v := range []string{cr.AccessKeyID, cr.SecretAccessKey, cr.SessionToken} {
			if !shown(v) {
				t.Fatalf("ParseCached accepted a value %q", v)
			}
		}
		if cr.SecretAccessKey == "" {
			t.Fatal("ParseCached accepted an item without a secret")
		}
	})
}

// TestStoredItemsWithControls: a keyring item, a session or a stored key,
// holding a NUL is of no use, whoever reads it.
func TestStoredItemsWithControls(t *testing.T) {
	session, _ := json.Marshal(Credentials{AccessKeyID: "ASIAX", SecretAccessKey: "a\x00", SessionToken: "; touch /tmp/x; #\x00", Expires: time.Now().Add(time.Hour)})
	if _, err := ParseCached(session, time.Now()); err == nil {
		t.Error("ParseCached accepted a session with a NUL in it")
	}
	key, _ := json.Marshal(LongTermKey{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalr\x00"})
	if _, err := ParseLongTermKey(key); err == nil {
		t.Error("ParseLongTermKey accepted a key with a NUL in it")
	}
	if err := CheckKey("AKIAIOSFODNN7EXAMPLE", "wJalr\u0085XUtn"); err == nil {
		t.Error("CheckKey accepted a secret with a C1 control in it")
	}
}

// TestReadFlatReadsWhatHopWrites: the items hop caches take the fast read,
// with and without an account, in UTC and in a zone.
func TestReadFlatReadsWhatHopWrites(t *testing.T) {
	for _, cr := range []Credentials{
		{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", SessionToken: "IQoJb3JpZ2luX2VjE//////////wEaCXVzLWVhc3QtMSJH==",
			Expires: time.Date(2026, 12, 7, 23, 0, 0, 0, time.UTC), AccountID: "123456789012"},
		{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "s", Expires: time.Date(2026, 12, 7, 23, 0, 0, 123456789, time.FixedZone("", 3600))},
	} {
		data, err := json.Marshal(cr)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := readFlat(data)
		if !ok || got.AccessKeyID != cr.AccessKeyID || got.SecretAccessKey != cr.SecretAccessKey ||
			got.SessionToken != cr.SessionToken || !got.Expires.Equal(cr.Expires) || got.AccountID != cr.AccountID {
			t.Errorf("readFlat(%s) = %+v, %v", data, got, ok)
		}
	}
}
