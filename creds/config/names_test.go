package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/hop-cli/hop/shellwords"
)

// FuzzAppendProfileNames checks the header-only scan that completion uses
// against the full parse: for every file Load accepts, the same
// names in the same order.
func FuzzAppendProfileNames(f *testing.F) {
	for _, c := range iniTable {
		f.Add(c.config, true)
		f.Add(c.credentials, false)
	}
	f.Add("[profile a]\nk = v\n  [profile b]\n[profile c]\n", true)
	f.Fuzz(func(t *testing.T, text string, asConfig bool) {
		file, err := readINI("f", text)
		if err != nil {
			return
		}
		c := &Config{profiles: map[string]*Profile{}, ssoSessions: map[string]Section{}, services: map[string]Section{}}
		for i := range file.sections {
			if c.addSection("f", &file.sections[i], file.defaults, !asConfig) != nil {
				return
			}
		}
		var want []string
		for _, s := range file.sections {
			want = appendSectionName(want, s.header, !asConfig)
		}
		got := AppendProfileNames(nil, []byte(text), !asConfig)
		if !slices.Equal(got, want) {
			t.Errorf("AppendProfileNames(%q) = %q, the full parse has %q", text, got, want)
		}
		slices.Sort(got)
		names := c.ProfileNames()
		slices.Sort(names)
		if !slices.Equal(slices.Compact(got), names) {
			t.Errorf("AppendProfileNames(%q) = %q, Load lists %q", text, got, names)
		}
	})
}

// FuzzSecondWord holds the header fast path to shlex's split.
func FuzzSecondWord(f *testing.F) {
	for _, h := range []string{"profile a", "profile  a ", "profile\ta b", "profile \"a b\"", "profile a\\ b", "profile 'x", "profile"} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, header string) {
		words, err := shellwords.Shlex.Split(header)
		ok := err == nil
		want, wantOK := "", ok && len(words) == 2
		if wantOK {
			want = words[1]
		}
		if got, ok := secondWord(header); ok != wantOK || ok && got != want {
			t.Errorf("secondWord(%q) = %q, %v; shlex gives %q", header, got, ok, words)
		}
	})
}

// TestCheckProfileName: names hop writes or stores a key under are those
// a config section carries unchanged and a terminal shows as they are.
func TestCheckProfileName(t *testing.T) {
	for name, ok := range map[string]bool{
		"dev": true, "prod-admin": true, "a.b_c/d@e+f": true, "default": true, "Ünïcode-名前": true, "a=b,c": true,
		"": false, "reset\x1bc": false, "clip\x1b]52;c;aGk=\x07": false, "two\nlines": false, "cr\r": false, "tab\t": false,
		"del\x7f": false, "c1\u009b": false, "bidi\u202etxt": false, "zw\u200bsp": false, "bad\xff": false,
		"a]b": false, "[a": false, "sp ace": false, " lead": false, "nbsp\u00a0": false, "q'": false, `q"`: false, `back\slash`: false, "#c": false, "a;b": false,
	} {
		if err := CheckProfileName(name); (err == nil) != ok {
			t.Errorf("CheckProfileName(%q) = %v, want ok %v", name, err, ok)
		} else if err != nil && (strings.ContainsAny(err.Error(), "\x1b\x07\n\r\u202e") || !strings.Contains(err.Error(), "profile name")) {
			t.Errorf("CheckProfileName(%q)'s message shows the name raw or names nothing: %q", name, err)
		}
	}
}
