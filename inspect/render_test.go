package inspect

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/store"
)

// controls are what the config may not put on the terminal: escape
// sequences (OSC 0 title, OSC 52 clipboard, CSI 2J), C1 CSI, a bidi
// override, other C0 bytes and DEL.
const controls = "\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J\u009b2J\u202e\x01\x7f"

// FuzzRenderingShowsNoControls: whatever the config says, list (table and
// JSON) and explain print no byte a terminal acts on, apart from their own
// newlines.
func FuzzRenderingShowsNoControls(f *testing.F) {
	f.Add("[profile a" + controls + "]\nrole_arn = arn:aws:iam::1:role/R" + controls + "\nsource_profile = b" + controls + "\nregion = eu" + controls + "\n" +
		"[profile b" + controls + "]\nsso_session = s" + controls + "\nsso_account_id = 1" + controls + "\nsso_role_name = R" + controls + "\n" +
		"[sso-session s" + controls + "]\nsso_start_url = https://x" + controls + "\nsso_region = us-east-1" + controls + "\n" +
		"[profile p]\ncredential_process = run" + controls + "\nmfa_serial = arn" + controls + "\n" +
		"[profile w]\nweb_identity_token_file = /t" + controls + "\nrole_arn = arn" + controls + "\n" +
		"[profile broken]\nrole_arn = x\nsource_profile = gone\x1b[2J\n")
	f.Add("[profile loop\u202e]\nrole_arn = r\nsource_profile = loop\u202e\n[default]\nrole_arn = \xc2\x9b\x9b\xff\nsource_profile = default\n")
	f.Fuzz(func(t *testing.T, text string) {
		home := t.TempDir()
		path := filepath.Join(home, "config")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(path, "")
		if err != nil {
			return // main prints the error, through its own filter
		}
		getenv := func(name string) string {
			if name == "HOME" {
				return home
			}
			return ""
		}
		cache := Cache{Index: store.IndexFor(getenv), Tokens: creds.TokenCacheFor(getenv), Getenv: getenv, Now: time.Now()}
		rows := Rows(cfg, cache)
		var table, js bytes.Buffer
		if err := WriteTable(&table, rows, cache); err != nil {
			t.Fatal(err)
		}
		checkShown(t, "list", table.Bytes())
		if want := tabwriterTable(t, rows, cache); !bytes.Equal(table.Bytes(), want) {
			t.Errorf("the table differs from tabwriter's:\n%s\nwant:\n%s", table.Bytes(), want)
		}
		if err := WriteJSON(&js, rows); err != nil {
			t.Fatal(err)
		}
		checkShown(t, "list --json", js.Bytes())
		if want := indentedJSON(t, rows); !bytes.Equal(js.Bytes(), want) {
			t.Errorf("list --json differs from json.MarshalIndent's:\n%s\nwant:\n%s", js.Bytes(), want)
		}
		var decoded []struct {
			Profile, Error string
			Chain          []string
		}
		if err := json.Unmarshal(js.Bytes(), &decoded); err != nil {
			t.Fatalf("list --json is not JSON: %v\n%s", err, js.Bytes())
		}
		for i := range decoded {
			if !utf8.ValidString(text) {
				break // encoding/json writes U+FFFD for bytes that are not UTF-8
			}
			if decoded[i].Profile != rows[i].Profile || !slices.Equal(decoded[i].Chain, rows[i].Chain) || decoded[i].Error != rows[i].Error {
				t.Errorf("list --json changes row %d: %+v, want %+v", i, decoded[i], rows[i])
			}
		}
		for _, name := range append(cfg.ProfileNames(), "missing\x1b]0;x\x07") {
			var out bytes.Buffer
			Explain(&out, cfg, name, cache)
			checkShown(t, "explain", out.Bytes())
		}
	})
}

// checkShown fails if out holds anything but text and newlines: a C0 or
// C1 control, DEL, a bidi control, or bytes that are not UTF-8. It does not
// use the untrusted filter's own test, so the two can disagree.
func checkShown(t *testing.T, what string, out []byte) {
	t.Helper()
	if !utf8.Valid(out) {
		t.Fatalf("%s prints bytes that are not UTF-8:\n%q", what, out)
	}
	for _, r := range string(out) {
		if r < 0x20 && r != '\n' || r >= 0x7f && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c {
			t.Fatalf("%s prints %U:\n%q", what, r, out)
		}
	}
}
