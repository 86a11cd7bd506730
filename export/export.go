// Package export prints a session's variables for a shell or a program to
// adopt, quoted so that no value can break out of its assignment.
package export

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/hop-cli/hop/exec"
)

// Formats are hop's names for --format. DefaultFormat (per platform) is
// the shell a user there has: env on Unix, powershell on Windows.
var Formats = []string{"env", "env-no-export", "fish", "powershell", "json", "process", "ini"}

// aliases are other tools' names for hop's formats, where the output
// means the same, each followed by hop's: aws-vault's export-env is hop's
// env. (aws-vault's json is hop's process, but hop's json is its own, so
// that name stays hop's.)
var aliases = []string{"export-env", "env"}

// Accepted are the names --format takes: hop's, then the aliases.
func Accepted() []string {
	names := slices.Clone(Formats)
	for i := 0; i < len(aliases); i += 2 {
		names = append(names, aliases[i])
	}
	slices.Sort(names[len(Formats):])
	return names
}

// Write prints s in format: the variables hop exec gives its child.
func Write(w io.Writer, format string, s exec.Session) error {
	for i := 0; i < len(aliases); i += 2 {
		if aliases[i] == format {
			format = aliases[i+1]
		}
	}
	vars := exec.Vars(s)
	var line func(exec.Var) string
	switch format {
	case "env":
		line = func(v exec.Var) string { return "export " + v.Name + "=" + shQuote(v.Value) }
	case "env-no-export":
		line = func(v exec.Var) string { return v.Name + "=" + shQuote(v.Value) }
	case "fish":
		// The semicolon keeps `eval (hop export --format fish)` whole:
		// fish hands eval the lines as words, joined by spaces.
		line = func(v exec.Var) string { return "set -gx " + v.Name + " " + fishQuote(v.Value) + ";" }
	case "powershell":
		line = func(v exec.Var) string { return "$Env:" + v.Name + " = " + psQuote(v.Value) }
	case "json":
		return writeJSON(w, vars)
	case "process":
		return writeProcess(w, s)
	case "ini":
		return writeINI(w, s)
	default:
		return fmt.Errorf("unknown format %q; use one of %s", format, strings.Join(Formats, ", "))
	}
	var b strings.Builder
	for _, v := range vars {
		if err := quotable(v.Name, v.Value); err != nil {
			return err
		}
		b.WriteString(line(v) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// quotable refuses a value no shell can hold: a variable is a C string, so
// a shell that reads a NUL cuts the value there, and may cut the closing
// quote with it, leaving the rest of hop's output to be read as code.
// Credentials never get here with one (creds.Credentials.Check); this
// holds for every variable and every shell format.
func quotable(name, value string) error {
	if strings.IndexByte(value, 0) >= 0 {
		return fmt.Errorf("%s holds a NUL byte, which no shell variable can; hop printed nothing", name)
	}
	return nil
}

// shQuote single-quotes for POSIX shells: nothing inside is special but
// the quote itself.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// fishQuote single-quotes for fish, where backslash escapes a quote or a
// backslash inside single quotes.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// psQuote quotes for PowerShell, in ASCII only: a single-quoted string,
// its quotes doubled, for printable ASCII, and [char]0xHHHH joined on with
// + for anything else (one per UTF-16 unit). PowerShell also ends a
// single-quoted string at the typographic quotes ‘ ’ ‚ ‛, and reads a
// program's output in the console's code page, where the bytes of one
// UTF-8 character can decode to such a quote: ASCII reads the same in
// every code page. Each value stays on one line, so every statement is
// one line. The expression starts with a string, so that + joins text
// rather than adding two characters' codes.
func psQuote(s string) string {
	var b strings.Builder
	open := false
	for _, u := range utf16.Encode([]rune(s)) {
		if u >= 0x20 && u < 0x7f {
			if !open {
				if b.Len() > 0 {
					b.WriteString(" + ")
				}
				b.WriteByte('\'')
				open = true
			}
			if u == '\'' {
				b.WriteByte('\'')
			}
			b.WriteByte(byte(u))
			continue
		}
		if open {
			b.WriteByte('\'')
			open = false
		}
		if b.Len() == 0 {
			b.WriteString("''")
		}
		fmt.Fprintf(&b, " + [char]0x%04X", u)
	}
	if open || b.Len() == 0 {
		if !open {
			b.WriteByte('\'')
		}
		b.WriteByte('\'')
	}
	return b.String()
}

// writeJSON prints the variables as one object, in order.
func writeJSON(w io.Writer, vars []exec.Var) error {
	var b strings.Builder
	b.WriteString("{\n")
	for i, v := range vars {
		name, _ := json.Marshal(v.Name)
		value, _ := json.Marshal(v.Value)
		fmt.Fprintf(&b, "  %s: %s", name, value)
		if i < len(vars)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeProcess prints the credential_process document (Version 1).
func writeProcess(w io.Writer, s exec.Session) error {
	doc := struct {
		Version         int    `json:"Version"`
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string `json:"SecretAccessKey"`
		SessionToken    string `json:"SessionToken,omitempty"`
		Expiration      string `json:"Expiration,omitempty"`
	}{Version: 1, AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey, SessionToken: s.SessionToken}
	if !s.Expires.IsZero() {
		doc.Expiration = s.Expires.UTC().Format(time.RFC3339)
	}
	return json.NewEncoder(w).Encode(doc)
}

// writeINI prints the credentials as a config file's profile section, as
// aws-vault's ini format does, for tools that read only files. A value
// that would end its line (or a name that would end the header) is
// refused: the rest would be read as more settings.
func writeINI(w io.Writer, s exec.Session) error {
	settings := []exec.Var{{Name: "aws_access_key_id", Value: s.AccessKeyID}, {Name: "aws_secret_access_key", Value: s.SecretAccessKey}}
	if s.SessionToken != "" {
		settings = append(settings, exec.Var{Name: "aws_session_token", Value: s.SessionToken})
	}
	if !s.Expires.IsZero() {
		settings = append(settings, exec.Var{Name: "aws_credential_expiration", Value: s.Expires.UTC().Format(time.RFC3339)})
	}
	if s.Region != "" {
		settings = append(settings, exec.Var{Name: "region", Value: s.Region})
	}
	if strings.ContainsAny(s.Profile, "[]\r\n\x00") {
		return fmt.Errorf("profile name %q cannot be an ini section's name; use another --format", s.Profile)
	}
	var b strings.Builder
	b.WriteString("[profile " + s.Profile + "]\n")
	for _, v := range settings {
		if strings.ContainsAny(v.Value, "\r\n\x00") {
			return fmt.Errorf("%s holds a line break, which an ini value cannot; hop printed nothing", v.Name)
		}
		b.WriteString(v.Name + " = " + v.Value + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
