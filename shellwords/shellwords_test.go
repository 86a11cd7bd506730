package shellwords

import (
	"slices"
	"testing"
)

// TestDialects: the two dialects split alike but for their blanks and what
// a backslash escapes inside double quotes.
func TestDialects(t *testing.T) {
	for _, c := range []struct {
		line        string
		shell, shlx []string
	}{
		{"a  b\tc", []string{"a", "b", "c"}, []string{"a", "b", "c"}},
		{"a\rb", []string{"a\rb"}, []string{"a", "b"}},
		{`"\$x" "\"" "\q"`, []string{"$x", `"`, `\q`}, []string{`\$x`, `"`, `\q`}},
		{`'it''s' \'q\ x`, []string{"its", "'q x"}, []string{"its", "'q x"}},
		{`a "" ''`, []string{"a", "", ""}, []string{"a", "", ""}},
	} {
		if got := Shell.Scan(c.line).Words; !slices.Equal(got, c.shell) {
			t.Errorf("Shell.Scan(%q) = %q, want %q", c.line, got, c.shell)
		}
		if got, err := Shlex.Split(c.line); err != nil || !slices.Equal(got, c.shlx) {
			t.Errorf("Shlex.Split(%q) = %q, %v, want %q", c.line, got, err, c.shlx)
		}
	}
}

// TestPartialLines: Scan says where a line stops part way through a word;
// Split refuses such a line.
func TestPartialLines(t *testing.T) {
	for _, c := range []struct {
		line string
		want Line
	}{
		{"hop exec ", Line{Words: []string{"hop", "exec", ""}, Start: 9}},
		{"hop ex", Line{Words: []string{"hop", "ex"}, Start: 4}},
		{`hop 'a b`, Line{Words: []string{"hop", "a b"}, Start: 4, Quote: '\'', Open: 4}},
		{`hop x"a\`, Line{Words: []string{"hop", `xa\`}, Start: 4, Quote: '"', Open: 5}},
		{`hop a\`, Line{Words: []string{"hop", "a"}, Start: 4, Dangling: true}},
	} {
		got := Shell.Scan(c.line)
		if !slices.Equal(got.Words, c.want.Words) || got.Start != c.want.Start || got.Quote != c.want.Quote || got.Quote != 0 && got.Open != c.want.Open || got.Dangling != c.want.Dangling {
			t.Errorf("Scan(%q) = %+v, want %+v", c.line, got, c.want)
		}
		if c.want.Quote != 0 || c.want.Dangling {
			if words, err := Shlex.Split(c.line); err == nil {
				t.Errorf("Split(%q) = %q, want an error", c.line, words)
			}
		}
	}
	if words, err := Shlex.Split(" \t"); err != nil || words != nil {
		t.Errorf("Split of blanks = %q, %v; want no words", words, err)
	}
}
