package config

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AppendProfileNames appends the profile names the sections of one file
// define, in file order, duplicates kept: what Load would list for a
// file it accepts. It reads headers only, jumping from one "[" to the next,
// so completion stays quick on large files; only a file with an indented
// "[" line, which may continue a value rather than open a section, is
// parsed line by line. What it returns for a file Load refuses is
// unspecified.
func AppendProfileNames(names []string, data []byte, credentials bool) []string {
	mark := len(names)
	text := textOf(data)
	// The names must not point into data, which the caller may reuse.
	defer func() {
		for i := mark; i < len(names); i++ {
			names[i] = strings.Clone(names[i])
		}
	}()
	for rest := text; ; {
		open := strings.IndexByte(rest, '[')
		if open < 0 {
			return names
		}
		lineStart := strings.LastIndexAny(rest[:open], "\r\n") + 1
		lineEnd := strings.IndexAny(rest[open:], "\r\n")
		if lineEnd < 0 {
			lineEnd = len(rest)
		} else {
			lineEnd += open
		}
		switch prefix := rest[lineStart:open]; {
		case prefix == "":
			value := trimRightPy(rest[open:lineEnd])
			if end := strings.LastIndexByte(value, ']'); end >= 2 {
				names = appendSectionName(names, value[1:end], credentials)
			}
		case trimLeftPy(prefix) == "":
			// Indented: a section only if no option above continues here.
			return appendParsedNames(names[:mark], text, credentials)
		}
		rest = rest[lineEnd:]
	}
}

func appendSectionName(names []string, header string, credentials bool) []string {
	if credentials {
		if header != "DEFAULT" {
			names = append(names, header)
		}
		return names
	}
	if kind, name, ok := sectionOf(header); ok && kind == kindProfile {
		names = append(names, name)
	}
	return names
}

func appendParsedNames(names []string, text string, credentials bool) []string {
	f, err := readINI("", text)
	if err != nil {
		return names
	}
	for _, s := range f.sections {
		names = appendSectionName(names, s.header, credentials)
	}
	return names
}

// CheckProfileName refuses a profile name that hop would store a key
// under or write as a [profile NAME] section, but that would not come back
// as the same name: botocore splits a header into shell words and wants
// exactly two, so blanks, quotes and backslashes change it; [ ] # ; are
// the INI format's own; a control or format character (an escape, a bidi
// override) or a byte that is not UTF-8 would be terminal control or
// disguise wherever the name is shown. %q shows the name escaped.
func CheckProfileName(name string) error {
	bad := name == "" || !utf8.ValidString(name)
	for _, r := range name {
		if bad {
			break
		}
		bad = unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || strings.ContainsRune("[]#;'\"\\", r)
	}
	if bad {
		return fmt.Errorf("profile name %q cannot be a profile's name in the AWS config file; choose one without blanks, control characters, quotes, backslashes, brackets, # or ;", name)
	}
	return nil
}
