package completions

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hop-cli/hop/shellwords"
	"github.com/hop-cli/hop/untrusted"
)

// Request is one press of TAB, as a completion script sends it: the line
// up to the cursor in COMP_LINE (cut at COMP_POINT), read as the shell
// will read it, so a word typed as my\ te or 'my te is "my te".
type Request struct {
	// Words are the line's words with the shell's quoting removed. The
	// last is the word being completed ("" after a blank); as kongplete
	// reads it, when it holds '=' only the part after the last '=' is.
	Words []string
	// whole is the word being completed, '=' and all.
	whole string

	// bash inserts each answer as it is written, so for bash the answers
	// are quoted (see Write). quote is the quote the word ends inside
	// ('\'', '"' or 0); kept is the part of the word, quoting removed,
	// that stays on the line before the text bash replaces.
	bash  bool
	quote byte
	kept  string

	// shell is HOP_COMPLETE, the shell whose script asks: zsh and fish
	// show a description beside each answer (see Write).
	shell string
}

// ReadRequest reads the request in COMP_LINE and COMP_POINT, as getenv
// gives them; ok is false when there is none. HOP_COMPLETE=bash marks
// bash's `complete -C` (hop's bash script sets it), which also passes, in
// args, the command's name, the text its readline replaces, and the word
// before.
func ReadRequest(getenv func(string) string, args []string) (r Request, ok bool) {
	line := getenv("COMP_LINE")
	if line == "" {
		return Request{}, false
	}
	if p, err := strconv.Atoi(getenv("COMP_POINT")); err == nil && p >= 0 && p < len(line) {
		line = line[:p]
	}
	l := shellwords.Shell.Scan(line)
	words, start, quote, open := l.Words, l.Start, l.Quote, l.Open
	r.Words = words
	r.whole = words[len(words)-1]
	if i := strings.LastIndexByte(r.whole, '='); i >= 0 {
		r.Words = append(words[:len(words)-1:len(words)-1], r.whole[:i], r.whole[i+1:])
	}
	r.shell = getenv("HOP_COMPLETE")
	if r.shell != "bash" {
		return r, true
	}
	r.bash, r.quote = true, quote
	raw := line[start:]
	// Where bash's replaced text starts: inside a quote, just after it;
	// otherwise where the text bash passed begins, as COMP_WORDBREAKS
	// (':' and '=' among them) cut the word.
	cut := 0
	switch {
	case quote != 0:
		cut = open - start + 1
	case len(args) == 3 && strings.HasSuffix(raw, args[1]):
		cut = len(raw) - len(args[1])
	}
	r.kept = shellwords.Shell.Scan(raw[:cut]).Words[0]
	return r, true
}

// ExecProfile reports whether r asks for `hop exec`'s profile argument,
// and the part of it typed so far. It declines what the kongplete
// completer reads differently: flags, and "a=b" words.
func (r Request) ExecProfile() (prefix string, ok bool) {
	w := r.Words
	if len(w) != 3 || w[1] != "exec" || strings.HasPrefix(w[2], "-") {
		return "", false
	}
	return w[2], true
}

// Describes reports whether the asking shell shows descriptions beside
// the answers, so they are worth reading: zsh and fish do, bash does not.
func (r Request) Describes() bool {
	return r.shell == "zsh" || r.shell == "fish"
}

// Write writes the answers, one per line: each one completes the last of
// r.Words. zsh and fish quote what they insert; bash inserts the text as
// it stands, so for bash each answer is quoted for where it lands, and a
// profile called `$(touch x)` or `ops&dev` stays one word that runs
// nothing.
//
// about, when not nil, describes the answers. Descriptions are
// config text, so they pass through untrusted.Text, and only zsh and fish
// get them. fish reads one after a tab on the answer's line. For zsh,
// when any answer has one, an empty line (no answer is empty) follows the
// answers, then a line for each to show in the listing:
// "name -- description", in _describe's style.
func (r Request) Write(w io.Writer, answers []string, about Describer) error {
	// One write instead of one per answer: with thousands of profiles the
	// unbuffered writes would cost more than finding the names.
	out := bufio.NewWriter(w)
	last := r.Words[len(r.Words)-1]
	var descriptions []string
	if about != nil && r.Describes() {
		descriptions = about(answers)
		for i, d := range descriptions {
			descriptions[i] = untrusted.Text(d)
		}
	}
	for i, a := range answers {
		if r.shell == "fish" && descriptions != nil && descriptions[i] != "" {
			a += "\t" + descriptions[i]
		}
		if r.bash {
			full := r.whole[:len(r.whole)-len(last)] + a
			if !strings.HasPrefix(full, r.kept) {
				continue
			}
			a = quoteFor(full[len(r.kept):], r.quote)
		}
		out.WriteString(a)
		out.WriteByte('\n')
	}
	if r.shell == "zsh" && descriptions != nil {
		writeZshListing(out, answers, descriptions)
	}
	return out.Flush()
}

// writeZshListing writes, when any answer has a description, the empty
// line and the listing's lines that Write promises zsh. Names are padded
// to one width, so the descriptions line up as _describe lines them up.
func writeZshListing(out *bufio.Writer, answers, descriptions []string) {
	width, described := 0, false
	shown := make([]string, len(answers))
	for i, a := range answers {
		shown[i] = untrusted.Text(a)
		width = max(width, utf8.RuneCountInString(shown[i]))
		described = described || descriptions[i] != ""
	}
	// A name past maxPadding is not padded to: one name of a megabyte
	// would pad every line to a megabyte.
	width = min(width, maxPadding)
	if !described {
		return
	}
	out.WriteByte('\n')
	for i := range shown {
		out.WriteString(shown[i])
		if descriptions[i] != "" {
			out.WriteString(strings.Repeat(" ", max(0, width-utf8.RuneCountInString(shown[i]))))
			out.WriteString(" -- ")
			out.WriteString(descriptions[i])
		}
		out.WriteByte('\n')
	}
}

// maxPadding is the widest name zsh's listing pads the others to.
const maxPadding = 60

// quoteFor quotes s for bash to insert inside quote (0 for none), where
// readline closes an open quote after it. Characters a terminal acts on
// go in as $'\xHH' or $'\uHHHH', so neither the line nor bash's list of
// answers shows them raw.
func quoteFor(s string, quote byte) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		c := s[i]
		switch {
		case r == utf8.RuneError && size <= 1 || untrusted.Text(s[i:i+size]) != s[i:i+size]:
			code := `\x` + strconv.FormatUint(uint64(c)|0x100, 16)[1:]
			if size > 1 {
				code = `\u` + strconv.FormatUint(uint64(r)|0x10000, 16)[1:]
			}
			if quote != 0 {
				b.WriteByte(quote)
			}
			b.WriteString(`$'` + code + `'`)
			if quote != 0 {
				b.WriteByte(quote)
			}
		case quote == '\'' && c == '\'':
			b.WriteString(`'\''`)
		case quote == '"' && c == '!':
			// History expansion: no backslash stops it inside "".
			b.WriteString(`"'!'"`)
		case quote == '"' && strings.IndexByte("$`\"\\", c) >= 0, quote == 0 && !plain(c):
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// plain reports a byte that means itself anywhere in an unquoted bash
// word; UTF-8 beyond ASCII is plain too.
func plain(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= 0x80 || strings.IndexByte("_-./,:@%+=", c) >= 0
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

// WriteProfiles answers r with the profiles whose names start with
// prefix, described where the shell shows descriptions.
func (r Request) WriteProfiles(w io.Writer, prefix string, getenv func(string) string) error {
	names, about := Profiles(getenv, r.Describes())
	var matches []string
	for _, name := range names {
		if strings.HasPrefix(name, prefix) {
			matches = append(matches, name)
		}
	}
	return r.Write(w, matches, about)
}
