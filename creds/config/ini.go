package config

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/hop-cli/hop/shellwords"
)

// The AWS CLI reads its files with Python's configparser.RawConfigParser in
// strict mode, then botocore maps the sections to profiles. hop reads them
// the same way, refusals included, so a config means one thing to both:
//
//   - a line is split at \n, \r\n or a lone \r, and stripped of Python's
//     whitespace (which includes \v, \f and \x1c to \x1f);
//   - a line whose stripped text starts with # or ; is a comment; there
//     are no inline comments: "region = x # y" is "x # y";
//   - a line indented deeper than the option above it continues that
//     option's value, even after blank or comment lines, and even if it
//     looks like a section header;
//   - a section header is "[" then the text up to the LAST "]" on the
//     line, not trimmed; what follows that "]" is ignored;
//   - an option is "key = value" or "key: value", split at the first = or
//     :, its key lower-cased;
//   - the same header twice in one file, the same key twice in a section,
//     a key before any section, or a line that is neither is refused;
//   - [DEFAULT]'s keys apply to every section of its file;
//   - a value whose first line is empty ("s3 =" then indented lines) is a
//     nested block of "key = value" lines, or else refused.

// SyntaxError is a line of a config or credentials file that the AWS CLI
// would refuse, so hop refuses it too.
type SyntaxError struct {
	File string
	Line int
	Msg  string
	// Hint says what to do about it.
	Hint string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d: %s; %s", e.File, e.Line, e.Msg, e.Hint)
}

// textOf views a file's bytes as text without copying them: a copy of a
// large config is fresh pages, which cost more than the parse (README,
// Performance). The caller must not change data afterwards; the
// parsed keys and values point into it.
func textOf(data []byte) string {
	return unsafe.String(unsafe.SliceData(data), len(data))
}

// iniSection is one section as written in a file.
type iniSection struct {
	header string
	line   int
	// start and end are the section's bytes in the file: from its header
	// line to the next section's.
	start, end int
	keys       []Setting
}

// iniFile is a file's sections in order, and its [DEFAULT] keys.
type iniFile struct {
	sections []iniSection
	defaults *iniSection
}

// keyScanLimit is where a section switches from scanning its keys for a
// duplicate to a map: most sections hold a handful.
const keyScanLimit = 16

// readINI parses text as RawConfigParser(strict=True) does. The returned
// strings are slices of text wherever the file's text can be used as is.
func readINI(path, text string) (*iniFile, error) {
	if !utf8.ValidString(text) {
		return nil, notUTF8(path, text)
	}
	// Sizing the slices up front saves copying them as they grow. Every
	// section and key is on a line of its own, and every header holds a
	// "[", so counting those two bytes sizes both, at the speed of a
	// memory scan (close enough when a "[" is not a header's, or \r ends
	// the lines: append still grows).
	lines := strings.Count(text, "\n") + 1
	headers := min(strings.Count(text, "["), lines)
	sections := headers + 1
	keyLines := lines - headers
	f := &iniFile{sections: make([]iniSection, 0, sections)}
	var (
		// all holds every section's keys in file order; a section's keys
		// are all[from[i]:to[i]].
		all  = make([]Setting, 0, max(keyLines, 0))
		from = make([]int, 0, sections)
		// cur is the section being filled: an index into f.sections, or
		// inDefaults, or -1 before the first header.
		cur = -1
		// keySet indexes cur's keys once it has many.
		keySet map[string]bool
		seen   = make(map[string]bool, sections)
		// opt is the option collecting continuation lines, -1 for none.
		opt    = -1
		parts  []string
		blanks int
		indent int
		first  *SyntaxError
	)
	section := func() *iniSection {
		if cur == inDefaults {
			return f.defaults
		}
		return &f.sections[cur]
	}
	// keys is where the current section's keys go.
	keys := func() *[]Setting {
		if cur == inDefaults {
			return &f.defaults.keys
		}
		return &all
	}
	finish := func() {
		if opt < 0 {
			return
		}
		k := &(*keys())[opt]
		if parts != nil {
			k.Value = strings.Join(parts, "\n")
		}
		k.Value = trimRightPy(k.Value)
		opt, parts, blanks = -1, nil, 0
	}
	lineNo := 0
	for pos := 0; pos < len(text); {
		start := pos
		line, next := nextLine(text, pos)
		pos = next
		lineNo++
		value := trimPy(line)
		if value == "" {
			if opt >= 0 {
				blanks++
			}
			continue
		}
		if value[0] == '#' || value[0] == ';' {
			continue
		}
		ind := indentOf(line)
		if opt >= 0 && ind > indent {
			if parts == nil {
				parts = []string{(*keys())[opt].Value}
			}
			for ; blanks > 0; blanks-- {
				parts = append(parts, "")
			}
			parts = append(parts, value)
			continue
		}
		finish()
		indent = ind
		if value[0] == '[' {
			if end := strings.LastIndexByte(value, ']'); end >= 2 {
				header := value[1:end]
				if n := len(f.sections); n > 0 {
					f.sections[n-1].end = start
				}
				keySet = nil
				if header == "DEFAULT" {
					if f.defaults == nil {
						f.defaults = &iniSection{header: header, line: lineNo, start: start, end: start}
					}
					cur = inDefaults
					if len(f.defaults.keys) > keyScanLimit {
						keySet = keyIndex(f.defaults.keys)
					}
					continue
				}
				if seen[header] {
					return nil, &SyntaxError{File: path, Line: lineNo, Msg: fmt.Sprintf("section [%s] appears twice", header),
						Hint: "merge the two sections into one (the AWS CLI refuses the file too)"}
				}
				seen[header] = true
				f.sections = append(f.sections, iniSection{header: header, line: lineNo, start: start, end: len(text)})
				from = append(from, len(all))
				cur = len(f.sections) - 1
				continue
			}
		}
		if cur == -1 {
			return nil, &SyntaxError{File: path, Line: lineNo, Msg: fmt.Sprintf("%q comes before any [section] header", value),
				Hint: "put it under a [profile NAME] section or remove it (the AWS CLI refuses the file too)"}
		}
		eq := strings.IndexAny(value, "=:")
		if eq < 0 {
			if first == nil {
				first = &SyntaxError{File: path, Line: lineNo, Msg: fmt.Sprintf("expected \"key = value\", found %q", value),
					Hint: "fix the line, indent it under the key it continues, or comment it out with #"}
			}
			continue
		}
		name := lowerPy(trimRightPy(value[:eq]))
		if name == "" && first == nil {
			first = &SyntaxError{File: path, Line: lineNo, Msg: fmt.Sprintf("%q has no key before the %c", value, value[eq]),
				Hint: "add the key's name or remove the line"}
		}
		ks := keys()
		mine := *ks
		if cur != inDefaults {
			mine = mine[from[cur]:]
		}
		if hasKey(mine, keySet, name) {
			return nil, &SyntaxError{File: path, Line: lineNo, Msg: fmt.Sprintf("key %q appears twice in [%s]", name, section().header),
				Hint: "keep only one (the AWS CLI refuses the file too)"}
		}
		*ks = append(*ks, Setting{Key: name, Value: trimPy(value[eq+1:]), line: lineNo})
		switch {
		case keySet != nil:
			keySet[name] = true
		case len(mine)+1 > keyScanLimit:
			keySet = keyIndex(mine)
			keySet[name] = true
		}
		opt = len(*ks) - 1
	}
	finish()
	if first != nil {
		return nil, first
	}
	for i := range f.sections {
		end := len(all)
		if i+1 < len(from) {
			end = from[i+1]
		}
		f.sections[i].keys = all[from[i]:end:end]
	}
	return f, nil
}

// inDefaults marks [DEFAULT] as the section being filled.
const inDefaults = -2

func hasKey(keys []Setting, set map[string]bool, name string) bool {
	if set != nil {
		return set[name]
	}
	for i := range keys {
		if keys[i].Key == name {
			return true
		}
	}
	return false
}

func keyIndex(keys []Setting) map[string]bool {
	set := make(map[string]bool, 2*len(keys))
	for _, k := range keys {
		set[k.Key] = true
	}
	return set
}

// nextLine returns the line starting at pos without its end, and where
// the next one starts. Python's universal newlines end a line at \n, \r\n
// or a lone \r.
func nextLine(text string, pos int) (line string, next int) {
	rest := text[pos:]
	n := strings.IndexByte(rest, '\n')
	if n < 0 {
		n = len(rest)
	}
	if r := strings.IndexByte(rest[:n], '\r'); r >= 0 {
		if r+1 < len(rest) && rest[r+1] == '\n' {
			return rest[:r], pos + r + 2
		}
		return rest[:r], pos + r + 1
	}
	if n < len(rest) {
		return rest[:n], pos + n + 1
	}
	return rest, len(text)
}

func notUTF8(path, text string) error {
	line := 1
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		if r == '\n' || r == '\r' && (i+1 >= len(text) || text[i+1] != '\n') {
			line++
		}
		i += size
	}
	return &SyntaxError{File: path, Line: line, Msg: "the file is not UTF-8 text",
		Hint: "save it as UTF-8 (the AWS CLI refuses it too)"}
}

// isSpacePy is Python's str.isspace for one character: Unicode's white
// space plus the separators \x1c to \x1f.
func isSpacePy(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r' || 0x1c <= r && r <= 0x1f
	}
	return unicode.IsSpace(r)
}

func trimPy(s string) string { return trimRightPy(trimLeftPy(s)) }

func trimLeftPy(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.TrimLeftFunc(s[i:], isSpacePy)
		}
		if !isSpacePy(rune(c)) {
			return s[i:]
		}
	}
	return ""
}

func trimRightPy(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.TrimRightFunc(s[:i+1], isSpacePy)
		}
		if !isSpacePy(rune(c)) {
			return s[:i+1]
		}
	}
	return ""
}

// indentOf is how many characters (not bytes) of white space start line,
// as configparser measures indentation.
func indentOf(line string) int {
	n := 0
	for _, r := range line {
		if !isSpacePy(r) {
			break
		}
		n++
	}
	return n
}

// lowerPy is Python's str.lower for keys, without copying the usual
// already lower-case ASCII key.
func lowerPy(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			// U+0130 lower-cases to "i̇" in Python, "i" in Go.
			return strings.ToLower(strings.ReplaceAll(s, "\u0130", "i\u0307"))
		}
	}
	return s
}

// splitLinesPy is Python's str.splitlines, which botocore uses to read a
// nested block: it also breaks at \v, \f, \x1c to \x1e, U+0085, U+2028 and
// U+2029.
func splitLinesPy(s string) []string {
	var lines []string
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				size = 2
			}
		default:
			i += size
			continue
		}
		lines = append(lines, s[start:i])
		i += size
		start = i
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}

// Kinds of section, as the index and the config builder name them.
const (
	kindProfile    = 'p'
	kindSSOSession = 's'
	kindServices   = 'v'
)

// sectionOf maps a config file header to what botocore makes of it: a
// profile, an sso-session or a services section, and its name. ok is false
// for sections botocore keeps but the CLI's profiles never read.
func sectionOf(header string) (kind byte, name string, ok bool) {
	switch {
	case strings.HasPrefix(header, "profile"):
		kind = kindProfile
	case strings.HasPrefix(header, "sso-session"):
		kind = kindSSOSession
	case strings.HasPrefix(header, "services"):
		kind = kindServices
	case header == "default":
		return kindProfile, "default", true
	default:
		return 0, "", false
	}
	if name, ok := secondWord(header); ok {
		return kind, name, true
	}
	return 0, "", false
}

// secondWord is shellwords.Shlex.Split(header)[1] when header splits into exactly two
// words. The usual header has no quotes or backslashes, and needs no copy.
func secondWord(header string) (string, bool) {
	if strings.ContainsAny(header, "'\"\\") {
		words, err := shellwords.Shlex.Split(header)
		ok := err == nil
		if !ok || len(words) != 2 {
			return "", false
		}
		return words[1], true
	}
	var words [3]string
	n := 0
	for rest := header; n < 3; {
		rest = strings.TrimLeft(rest, " \t\r\n")
		if rest == "" {
			break
		}
		end := strings.IndexAny(rest, " \t\r\n")
		if end < 0 {
			end = len(rest)
		}
		words[n], rest = rest[:end], rest[end:]
		n++
	}
	return words[1], n == 2
}
