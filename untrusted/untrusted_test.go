package untrusted

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"requires3", "requires3"},
		{"prod/admin ünïcode 日本", "prod/admin ünïcode 日本"},
		{"\x1b]0;pwned\x07", `\e]0;pwned\x07`},
		{"\x1b]52;c;ZWNobyBoaQ==\x1b\\", `\e]52;c;ZWNobyBoaQ==\e\`},
		{"a\nb\r\tc", `a\nb\r\tc`},
		{"\x7f", `\x7f`},
		{"\u009b2J", `\x9b2J`},             // C1 CSI
		{"abc\u202edcba", `abc\u202edcba`}, // right-to-left override
		{"x\u2066y\u2069", `x\u2066y\u2069`},
		{"\xff\xfe", `\xff\xfe`},
		{"ok\uFFFDok", "ok\uFFFDok"}, // a real replacement character is text
	} {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLines(t *testing.T) {
	in := "hop: one\n\x1b]0;title\x07\ttwo\r\n\u202eend\n"
	want := "hop: one\n" + `\e]0;title\x07\ttwo\r` + "\n" + `\u202eend` + "\n"
	if got := Lines(in); got != want {
		t.Errorf("Lines(%q) = %q, want %q", in, got, want)
	}
}

// FuzzText: whatever goes in, nothing a terminal acts on comes out, and
// clean text is untouched.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[2J", "\u202e", "\xc2\x9b", "\xe2\x80", "日本\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Text(%q) = %q is not UTF-8", s, got)
		}
		for _, r := range got {
			if unsafe(r) {
				t.Fatalf("Text(%q) = %q keeps %U", s, got, r)
			}
		}
		if Text(got) != got {
			t.Fatalf("Text is not idempotent on %q", got)
		}
		lines := Lines(s)
		if strings.Count(lines, "\n") != strings.Count(s, "\n") {
			t.Fatalf("Lines(%q) = %q changes the number of lines", s, lines)
		}
		for _, r := range lines {
			if r != '\n' && unsafe(r) {
				t.Fatalf("Lines(%q) = %q keeps %U", s, lines, r)
			}
		}
		if clean(s) && got != s {
			t.Fatalf("clean text %q changed to %q", s, got)
		}
	})
}

func BenchmarkTextClean(b *testing.B) {
	s := strings.Repeat("arn:aws:iam::123412341234:role/RoleForS3 ", 4)
	for b.Loop() {
		Text(s)
	}
}
