// Package shellwords splits a line into words by a shell's quoting rules,
// removing the quotes and backslashes: blanks separate words; single quotes
// keep everything literally; double quotes keep everything but a backslash
// before one of a few characters; outside quotes a backslash keeps the
// next character. Nothing else is special: no variables, globs, pipes or
// comments, so no word is ever code.
//
// Two dialects differ only in which bytes are blanks and which a backslash
// escapes inside double quotes: Shell, as bash reads a command line being
// completed, and Shlex, as Python's shlex.split reads botocore's
// "[profile NAME]" headers and the AWS CLI v2 a credential_process line.
package shellwords

import (
	"errors"
	"fmt"
	"strings"
)

// A Dialect is one shell's variant of the rules.
type Dialect struct {
	// blanks separate words.
	blanks string
	// escapable are the bytes a backslash escapes inside double quotes;
	// before any other it stays, as itself.
	escapable string
}

var (
	// Shell is a POSIX shell's splitting (bash's, for completion).
	Shell = Dialect{blanks: " \t\n", escapable: "$`\"\\\n"}
	// Shlex is Python's shlex.split in POSIX mode, without comments.
	Shlex = Dialect{blanks: " \t\r\n", escapable: "\"\\"}
)

// Line is a line split into words, which may stop part way through one, as
// a command line being completed does.
type Line struct {
	// Words are the words; the last is the one the line ends in, "" when
	// it ends in a blank.
	Words []string
	// Start is the byte offset where the last word starts (the line's
	// length when it ends in a blank).
	Start int
	// Quote is the quote the line ends inside (0 when none), and Open its
	// offset.
	Quote byte
	Open  int
	// Dangling reports a backslash outside quotes that ends the line, and
	// so escapes nothing.
	Dangling bool
}

// Scan splits line by d's rules, never failing: Line says where it ends.
func (d Dialect) Scan(line string) Line {
	var (
		l      Line
		word   strings.Builder
		inWord bool
	)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case l.Quote == '\'':
			if c == '\'' {
				l.Quote = 0
			} else {
				word.WriteByte(c)
			}
		case l.Quote == '"':
			switch {
			case c == '"':
				l.Quote = 0
			case c == '\\' && i+1 < len(line) && strings.IndexByte(d.escapable, line[i+1]) >= 0:
				i++
				word.WriteByte(line[i])
			default:
				word.WriteByte(c)
			}
		case strings.IndexByte(d.blanks, c) >= 0:
			if inWord {
				l.Words = append(l.Words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			if !inWord {
				inWord, l.Start = true, i
			}
			switch c {
			case '\\':
				if i+1 < len(line) {
					i++
					word.WriteByte(line[i])
				} else {
					l.Dangling = true
				}
			case '\'', '"':
				l.Quote, l.Open = c, i
			default:
				word.WriteByte(c)
			}
		}
	}
	if !inWord {
		l.Start = len(line)
	}
	l.Words = append(l.Words, word.String())
	return l
}

// Split splits s, a whole line, into its words (none for a blank line). A
// quote left open, or a backslash at the end, is an error, as shlex.split
// raises one.
func (d Dialect) Split(s string) ([]string, error) {
	l := d.Scan(s)
	switch {
	case l.Quote != 0:
		return nil, fmt.Errorf("a %c quote is not closed", l.Quote)
	case l.Dangling:
		return nil, errors.New("it ends with a backslash that escapes nothing")
	}
	words := l.Words
	if l.Start == len(s) {
		// The line ends in a blank: no word is under way.
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		return nil, nil
	}
	return words, nil
}
