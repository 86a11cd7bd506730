package creds

import "strings"

// AppendProfileNames appends the profile names the sections of one file
// define, in file order, duplicates kept: what LoadConfig would list for a
// file it accepts. It reads headers only, jumping from one "[" to the next,
// so completion stays quick on large files; only a file with an indented
// "[" line, which may continue a value rather than open a section, is
// parsed line by line. What it returns for a file LoadConfig refuses is
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
