package creds

import (
	"errors"
	"fmt"
	"strings"
)

// SplitWords splits s into words as Python's shlex.split does (POSIX
// mode, no comments): blanks separate words; single quotes keep everything
// literally; double quotes keep everything but a backslash before " or \;
// outside quotes a backslash keeps the next character. botocore splits
// "[profile NAME]" headers this way, and the AWS CLI v2 a credential_process
// line, which so runs with no shell: no variables, globs, pipes or comments.
func SplitWords(s string) ([]string, error) {
	var (
		words  []string
		word   strings.Builder
		inWord bool
		// quote is the open quote character, 0 outside quotes.
		quote byte
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				word.WriteByte(c)
			}
		case quote == '"':
			switch {
			case c == '"':
				quote = 0
			case c == '\\':
				if i+1 >= len(s) {
					return nil, errors.New("a \" quote is not closed")
				}
				// Inside double quotes a backslash escapes only " and \.
				if n := s[i+1]; n != '"' && n != '\\' {
					word.WriteByte('\\')
				}
				i++
				word.WriteByte(s[i])
			default:
				word.WriteByte(c)
			}
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		case c == '\\':
			if i+1 >= len(s) {
				return nil, errors.New("it ends with a backslash that escapes nothing")
			}
			i++
			word.WriteByte(s[i])
			inWord = true
		case c == '\'' || c == '"':
			quote = c
			inWord = true
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("a %c quote is not closed", quote)
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, nil
}
