package completions

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// ExecProfile reads a completion request as bash's `complete -C` and hop's
// zsh and fish scripts send it (COMP_LINE, cut at COMP_POINT) and reports
// whether it asks for `hop exec`'s profile argument, and the part of it
// typed so far. It splits the line as the kongplete completer does, and
// declines what it would read differently: flags, and "a=b" words.
func ExecProfile(line, point string) (prefix string, ok bool) {
	if p, err := strconv.Atoi(point); err == nil && p >= 0 && p < len(line) {
		line = line[:p]
	}
	words := strings.Fields(line)
	if line != "" && unicode.IsSpace(rune(line[len(line)-1])) {
		words = append(words, "")
	}
	if len(words) != 3 || words[1] != "exec" || strings.HasPrefix(words[2], "-") || strings.Contains(words[2], "=") {
		return "", false
	}
	return words[2], true
}

// Candidates are the profile names in the shared AWS files getenv points
// at. A shell has nowhere to show an error during completion, so
// unreadable files just give fewer candidates.
func Candidates(getenv func(string) string) []string {
	configPath, credentialsPath, err := SharedFiles(getenv)
	if err != nil {
		return nil
	}
	names, _ := ProfileNames(configPath, credentialsPath)
	return names
}

// WriteProfiles writes the Candidates that start with prefix, one per
// line, as a completion answer.
func WriteProfiles(w io.Writer, prefix string, getenv func(string) string) error {
	names := Candidates(getenv)
	// One write instead of one per candidate: with thousands of profiles
	// the unbuffered writes would cost more than finding the names.
	out := bufio.NewWriter(w)
	for _, name := range names {
		if strings.HasPrefix(name, prefix) {
			out.WriteString(name + "\n")
		}
	}
	return out.Flush()
}
