// Package untrusted makes text that hop did not write safe to show on a
// terminal: config values, profile names, server error bodies, a helper's
// output. Such text is data. Shown raw, an escape sequence in it could set
// the window title, write the clipboard (OSC 52), clear the screen, or
// reorder what the user reads (bidi overrides).
//
// Text is the one filter: every place hop prints text it did not write
// passes it through Text, rather than taking care at each call site.
package untrusted

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Text returns s with every character that could drive a terminal or
// disguise text replaced by a visible escape: C0 controls (newline and tab
// included, so one value stays on one line), DEL, C1 controls, Unicode
// bidirectional and other invisible format controls, and bytes that are
// not UTF-8. Anything else, other scripts included, passes unchanged.
func Text(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
		case unsafe(r):
			b.WriteString(escape(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Lines is Text for a message of several lines, such as an error that
// joins others: each line is filtered as Text filters it, and the newlines
// between them stay. Use it where hop's own layout has newlines and the
// values in it cannot be filtered one by one.
func Lines(s string) string {
	if clean(s) {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		lines[i] = Text(line)
	}
	return strings.Join(lines, "\n")
}

// clean is Text's fast path: most text has nothing to replace.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			if c >= 0x80 {
				return cleanUTF8(s[i:])
			}
			return false
		}
	}
	return true
}

func cleanUTF8(s string) bool {
	for i, r := range s {
		if (r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD")) || unsafe(r) {
			return false
		}
	}
	return true
}

// unsafe reports the runes Text escapes.
func unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, // Arabic letter mark
		r == 0x200b, r == 0x200c, r == 0x200d, // zero-width space and joiners
		r >= 0x200e && r <= 0x200f, // LRM, RLM
		r >= 0x202a && r <= 0x202e, // embeddings and overrides
		r >= 0x2060 && r <= 0x2069, // word joiner, invisible operators, isolates
		r == 0xfeff:                // zero-width no-break space
		return true
	}
	return false
}

func escape(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	case 0x1b:
		return `\e`
	}
	if r < 0x100 {
		return `\x` + strconv.FormatUint(uint64(r)|0x100, 16)[1:]
	}
	return `\u` + strconv.FormatUint(uint64(r)|0x10000, 16)[1:]
}
