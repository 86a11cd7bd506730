package completions

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

func TestReadRequest(t *testing.T) {
	for _, tc := range []struct {
		line  string
		words []string
	}{
		{"hop exec ", []string{"hop", "exec", ""}},
		{"hop  exec\tre", []string{"hop", "exec", "re"}},
		{`hop exec my\ te`, []string{"hop", "exec", "my te"}},
		{`hop exec 'my te`, []string{"hop", "exec", "my te"}},
		{`hop exec "a\$b\"c\d`, []string{"hop", "exec", `a$b"c\d`}},
		{`hop exec 'a'"b"\c`, []string{"hop", "exec", "abc"}},
		{`hop exec 'my team' `, []string{"hop", "exec", "my team", ""}},
		{"hop --backend=fi", []string{"hop", "--backend", "fi"}},
	} {
		r, ok := ReadRequest(func(k string) string { return map[string]string{"COMP_LINE": tc.line}[k] }, nil)
		if !ok || !slices.Equal(r.Words, tc.words) {
			t.Errorf("ReadRequest(%q) = %q, %v; want %q", tc.line, r.Words, ok, tc.words)
		}
	}
}

// TestBashAnswersAreQuoted: for bash each answer is the text readline
// puts in place of the word's end, quoted for where it lands; bash itself
// then reads the line back to the profile's exact name.
func TestBashAnswersAreQuoted(t *testing.T) {
	names := []string{"ops&dev", "my team", "x$(touch pwned)", "it's", "a`b`!c", "dev:ro", "tab\there", "e\x1b]0;t\x07"}
	for _, tc := range []struct {
		line, text string // text is what bash passes as the word readline replaces
	}{
		{"hop exec ", ""},
		{"hop exec '", ""},
		{`hop exec "`, ""},
		{"hop exec dev:", ""}, // ':' is in COMP_WORDBREAKS
		{`hop exec my\ `, `my\ `},
		{`hop exec 'my `, "my "},
		{`hop exec "my `, "my "},
		{`hop exec x\$\(t`, `x\$\(t`},
	} {
		env := map[string]string{"COMP_LINE": tc.line, "HOP_COMPLETE": "bash"}
		r, ok := ReadRequest(func(k string) string { return env[k] }, []string{"hop", tc.text, "exec"})
		prefix, isExec := r.ExecProfile()
		if !ok || !isExec {
			t.Fatalf("%q is not a request for exec's profile", tc.line)
		}
		var matches []string
		for _, n := range names {
			if strings.HasPrefix(n, prefix) {
				matches = append(matches, n)
			}
		}
		if len(matches) == 0 {
			t.Fatalf("%q matches no name", tc.line)
		}
		var out bytes.Buffer
		if err := r.Write(&out, matches, nil); err != nil {
			t.Fatal(err)
		}
		answers := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		for i, answer := range answers {
			// What readline leaves on the line: the typed text up to the
			// replaced part, the answer, and the quote it closes.
			typed := strings.TrimSuffix(tc.line, tc.text)
			word := strings.TrimPrefix(typed, "hop exec ") + answer
			if r.quote != 0 {
				word += string(r.quote)
			}
			got, err := exec.Command("bash", "--norc", "--noprofile", "-c", fmt.Sprintf("printf %%s %s", word)).Output()
			if err != nil || string(got) != matches[i] {
				t.Errorf("line %q: answer %q makes the word %s, which bash reads as %q (%v); want %q", tc.line, answer, word, got, err, matches[i])
			}
		}
	}
}
