package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// iniCase is a config and a credentials file; "" leaves a file out.
type iniCase struct {
	name, config, credentials string
}

// iniTable covers each rule of the files' dialect, and each place where
// hop once read a file differently from the AWS CLI.
var iniTable = []iniCase{
	{name: "same header twice", config: "[profile x]\na = 1\n[profile x]\nb = 2\n"},
	{name: "same profile, two spellings: the later wins whole", config: "[profile x]\na = 1\n[profile  x]\nb = 2\n"},
	{name: "default, then profile default", config: "[default]\na = 1\n[profile default]\nb = 2\n"},
	{name: "profile default, then default", config: "[profile default]\na = 1\n[default]\nb = 2\n"},
	{name: "same key twice", config: "[profile x]\nregion = a\nREGION = b\n"},
	{name: "same key in two DEFAULT sections", config: "[DEFAULT]\nregion = a\n[profile x]\n[DEFAULT]\nregion = b\n"},
	{name: "] inside a name", config: "[profile a]b]\nregion = x\n"},
	{name: "text after ]", config: "[profile a] # a comment\nregion = x\n[profile b] trailing ] more\n"},
	{name: "blanks inside the brackets", config: "[ profile a ]\nregion = x\n[ default ]\nregion = y\n"},
	{name: "blanks inside the brackets, credentials", credentials: "[ a ]\naws_access_key_id = A\n"},
	{name: "quoted and escaped names", config: "[profile \"a b\"]\nk = 1\n[profile a\\ c]\nk = 2\n[profile 'x]\nk = 3\n[profile a b]\nk = 4\n[profilefoo bar]\nk = 5\n"},
	{name: "empty and bracket-only headers", config: "[]\n"},
	{name: "a ] header", config: "[]]\nk = v\n"},
	{name: "continuation lines", config: "[profile a]\nk = v\n  w\n\n  x\n# c\n  y\nj = 1\n"},
	{name: "a header that continues a value", config: "[profile a]\nk = v\n  [profile b]\nj = 1\n"},
	{name: "comments", config: "# top\n; top\n[profile a]\nk = v # not a comment\nj = w ; nor this\n  # indented comment\n"},
	{name: "colon", config: "[profile a]\nregion: eu-west-1\nurl = https://x:1/\n"},
	{name: "keys before any section", config: "region = x\n[profile a]\n"},
	{name: "keys before any section, credentials", credentials: "aws_access_key_id = A\n[a]\n"},
	{name: "no delimiter", config: "[profile a]\nnovalue\n"},
	{name: "no key", config: "[profile a]\n= v\n"},
	{name: "nested block", config: "[profile a]\ns3 =\n  endpoint_url = http://x\n  Addressing_Style = path\n[services s]\nsts =\n  endpoint_url = http://y\n"},
	{name: "nested block with a bad line", config: "[profile a]\ns3 =\n  endpoint_url\n"},
	{name: "nested block in an unread section", config: "[plain]\ns3 =\n  oops\n"},
	{name: "nested block after a blank line", config: "[profile a]\ns3 =\n\n  x = 1\n"},
	{name: "DEFAULT applies to every section", config: "[DEFAULT]\nregion = r\n[profile a]\nk = v\n[sso-session s]\nsso_region = x\n", credentials: "[a]\nregion = c\n[DEFAULT]\nk = d\n"},
	{name: "credentials win key by key", config: "[profile a]\nregion = r\naws_access_key_id = CONFIG\n", credentials: "[a]\naws_access_key_id = CREDS\naws_secret_access_key = s\n[b]\naws_access_key_id = B\n"},
	{name: "credentials replace a nested block", config: "[profile a]\ns3 =\n  x = 1\n", credentials: "[a]\ns3 = flat\n"},
	{name: "credentials name profiles by the whole header", config: "[profile x]\nk = 1\n", credentials: "[profile x]\nk = 2\n[default]\nk = 3\n"},
	{name: "credentials refused", config: "[profile a]\n", credentials: "[a]\n[a]\n"},
	{name: "CRLF and lone CR", config: "[profile a]\r\nk = v\rj = w\r\n  more\r"},
	{name: "odd white space", config: "[profile a]\n\x0bk = v\x1c\n\u00a0 j = w\n\tcont\u2003\n\x0c\n"},
	{name: "BOM", config: "\ufeff[profile a]\nk = v\n"},
	{name: "not UTF-8", config: "[profile a]\nk = \xff\n"},
	{name: "sso-session and services", config: "[sso-session corp]\nsso_start_url = https://x\n[sso-session corp x]\n[services local]\ns3 =\n  endpoint_url = http://127.0.0.1:9\n"},
	{name: "upper-case keys", config: "[profile a]\nRegion = x\nSSO_Session = y\n"},
	{name: "empty files", config: "", credentials: ""},
}

// TestReadsAsBotocore reads each file pair with botocore, as the installed
// AWS CLI does, and with Load, and compares profiles, keys, values
// and refusals: the table above, then generated and mutated files.
func TestReadsAsBotocore(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(python, "-c", "import botocore.session").Run()
	}
	if err != nil {
		t.Skipf("botocore is not installed (python3 -c 'import botocore.session': %v): install the AWS CLI v1 to run this test", err)
	}
	cases := append([]iniCase(nil), iniTable...)
	rng := rand.New(rand.NewPCG(9, 12))
	for i := range 400 {
		cases = append(cases, iniCase{name: fmt.Sprintf("generated %d", i), config: generateINI(rng), credentials: generateINI(rng)})
	}
	for i := range 400 {
		base := iniTable[rng.IntN(len(iniTable))]
		cases = append(cases, iniCase{name: fmt.Sprintf("mutated %d (%s)", i, base.name),
			config: mutateINI(rng, base.config), credentials: mutateINI(rng, base.credentials)})
	}

	dir := t.TempDir()
	pairs := make([][2]string, len(cases))
	for i, c := range cases {
		pairs[i] = [2]string{filepath.Join(dir, fmt.Sprintf("config%d", i)), filepath.Join(dir, fmt.Sprintf("credentials%d", i))}
		for j, text := range []string{c.config, c.credentials} {
			if text == "" && !strings.HasPrefix(c.name, "empty") {
				continue
			}
			if err := os.WriteFile(pairs[i][j], []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	input, err := json.Marshal(pairs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, filepath.Join("testdata", "botocore_read.py"))
	cmd.Env = append(os.Environ(), "PYTHONUTF8=1")
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("botocore_read.py: %v\n%s", err, stderr.String())
	}
	var want []botocoreView
	if err := json.Unmarshal(out, &want); err != nil || len(want) != len(cases) {
		t.Fatalf("botocore_read.py gave %d answers (%v) for %d cases", len(want), err, len(cases))
	}
	refused := 0
	for i, c := range cases {
		cfg, err := Load(pairs[i][0], pairs[i][1])
		switch {
		case want[i].Error != "" && err == nil:
			t.Errorf("%s: botocore refuses (%s), hop reads it\nconfig %q\ncredentials %q", c.name, want[i].Error, c.config, c.credentials)
		case want[i].Error == "" && err != nil:
			t.Errorf("%s: hop refuses (%v), botocore reads it\nconfig %q\ncredentials %q", c.name, err, c.config, c.credentials)
		case err != nil:
			refused++
			if !strings.HasPrefix(err.Error(), pairs[i][0]+":") && !strings.HasPrefix(err.Error(), pairs[i][1]+":") {
				t.Errorf("%s: error %q does not start with FILE:LINE", c.name, err)
			}
		default:
			if got := viewOf(cfg); !reflect.DeepEqual(got, want[i].normal()) {
				t.Errorf("%s: hop and botocore read different things\nconfig %q\ncredentials %q\nhop      %v\nbotocore %v",
					c.name, c.config, c.credentials, got, want[i].normal())
			}
		}
	}
	t.Logf("%d cases, %d refused by both", len(cases), refused)
	if refused == 0 || refused == len(cases) {
		t.Errorf("%d of %d cases refused: the corpus does not exercise both outcomes", refused, len(cases))
	}
}

// botocoreView is botocore_read.py's answer for one pair.
type botocoreView struct {
	Error       string                    `json:"error"`
	Profiles    [][2]json.RawMessage      `json:"profiles"`
	SSOSessions map[string]map[string]any `json:"sso_sessions"`
	Services    map[string]map[string]any `json:"services"`
}

// iniView is what both readers are compared on.
type iniView struct {
	Order       []string
	Profiles    map[string]map[string]any
	SSOSessions map[string]map[string]any
	Services    map[string]map[string]any
}

func (b botocoreView) normal() iniView {
	v := iniView{Profiles: map[string]map[string]any{}, SSOSessions: b.SSOSessions, Services: b.Services}
	for _, p := range b.Profiles {
		var name string
		var settings map[string]any
		json.Unmarshal(p[0], &name)
		json.Unmarshal(p[1], &settings)
		v.Order = append(v.Order, name)
		v.Profiles[name] = settings
	}
	if v.SSOSessions == nil {
		v.SSOSessions = map[string]map[string]any{}
	}
	if v.Services == nil {
		v.Services = map[string]map[string]any{}
	}
	return v
}

func viewOf(cfg *Config) iniView {
	v := iniView{Order: cfg.ProfileNames(), Profiles: map[string]map[string]any{},
		SSOSessions: map[string]map[string]any{}, Services: map[string]map[string]any{}}
	for _, name := range v.Order {
		p, _ := cfg.Profile(name)
		v.Profiles[name] = unflatten(p.Settings)
	}
	for name, s := range cfg.ssoSessions {
		v.SSOSessions[name] = unflatten(s)
	}
	for name, s := range cfg.services {
		v.Services[name] = unflatten(s)
	}
	if len(v.Order) == 0 {
		v.Order = nil
	}
	return v
}

// unflatten turns a Section's nested keys back into botocore's dicts. A
// key the Section holds twice shows in the dict as "twice: KEY", which
// botocore's never has.
func unflatten(s Section) map[string]any {
	m := make(map[string]any, len(s))
	seen := map[string]bool{}
	for _, kv := range s {
		key, value := kv.Key, kv.Value
		if seen[key] {
			m["twice: "+key] = value
			continue
		}
		seen[key] = true
		block, sub, ok := strings.Cut(key, nestedSep)
		if !ok {
			if _, done := m[key]; !done {
				m[key] = value
			}
			continue
		}
		d, _ := m[block].(map[string]any)
		if d == nil {
			d = map[string]any{}
			m[block] = d
		}
		d[sub] = value
	}
	return m
}

// iniPieces are the lines and fragments generated files are made of,
// chosen to sit on the dialect's edges.
var iniPieces = []string{
	"[profile a]", "[profile  a]", "[profile b]", "[profile\ta]", "[ profile a ]", "[default]", "[profile default]",
	"[DEFAULT]", "[profile a]b]", "[profile c] # note", "[sso-session s]", "[services v]", "[profile \"q r\"]",
	"[profile 'x]", "[a]", "[b]", "[]]", "[profile]", "[profilex y]",
	"region = eu-west-1", "Region: us-east-1", "source_profile = a", "  indented = x", "\tcont", "  [profile b]",
	"# comment", "; comment", "  # comment", "", " ", "s3 =", "  endpoint_url = http://127.0.0.1:9",
	"key = v # inline", "url = https://x:1/", "\x0bregion = v", "role_arn = v\x1c", "\u00a0j = w", "x\u2003= y",
	// Pieces from here on make botocore refuse the file wherever they are.
	"[]", "k =", "= v", "novalue", "  bad nested", "k = v", "K=V",
}

// headerPieces is how many of iniPieces are headers.
var headerPieces = slices.Index(iniPieces, "region = eu-west-1")

// acceptedPieces is how many of iniPieces botocore accepts after a header.
var acceptedPieces = slices.Index(iniPieces, "[]")

// generateINI joins random pieces with random line ends, mostly the first
// ones, which botocore accepts anywhere but before a header.
func generateINI(rng *rand.Rand) string {
	var b strings.Builder
	if rng.IntN(5) > 0 {
		b.WriteString(iniPieces[rng.IntN(headerPieces)] + "\n")
	}
	for range rng.IntN(12) {
		n := len(iniPieces)
		if rng.IntN(4) > 0 {
			n = acceptedPieces
		}
		b.WriteString(iniPieces[rng.IntN(n)])
		b.WriteString([]string{"\n", "\n", "\n", "\r\n", "\r"}[rng.IntN(5)])
	}
	return b.String()
}

// mutateINI inserts, deletes or replaces a few characters of s with ones
// the dialect gives meaning to.
func mutateINI(rng *rand.Rand, s string) string {
	const alphabet = "[]=:#; \t\n\r\"'\\apD\x0b\x1c"
	b := []rune(s)
	for range 1 + rng.IntN(3) {
		c := rune(alphabet[rng.IntN(len(alphabet))])
		i := 0
		if len(b) > 0 {
			i = rng.IntN(len(b))
		}
		switch rng.IntN(3) {
		case 0:
			b = append(b[:i], append([]rune{c}, b[i:]...)...)
		case 1:
			if len(b) > 0 {
				b = append(b[:i], b[i+1:]...)
			}
		default:
			if len(b) > 0 {
				b[i] = c
			}
		}
	}
	return string(b)
}
