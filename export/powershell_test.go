package export

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/hop-cli/hop/exec"
)

// PowerShell cannot run here, so these tests read hop's output by
// PowerShell's own rules, for the subset hop prints: a single-quoted string
// ends at any of ' ‘ ’ ‚ ‛ unless another of them follows, which then stands
// for itself; [char]0xHHHH is one UTF-16 unit; + joins them, starting from
// a string.

// psQuotes are the characters PowerShell takes for a single quote.
const psQuotes = "'\u2018\u2019\u201a\u201b"

// psExpression reads an expression hop printed back to its value, or
// fails if PowerShell would read anything more than the value (code).
func psExpression(expr string) (string, error) {
	var units []uint16
	rest := expr
	for term := 0; ; term++ {
		switch {
		case strings.HasPrefix(rest, "'"):
			s, after, err := psSingleQuoted(rest)
			if err != nil {
				return "", err
			}
			units, rest = append(units, utf16.Encode([]rune(s))...), after
		case term > 0 && strings.HasPrefix(rest, "[char]0x"):
			n, err := strconv.ParseUint(rest[len("[char]0x"):min(len(rest), len("[char]0x")+4)], 16, 16)
			if err != nil {
				return "", fmt.Errorf("bad [char] in %q", expr)
			}
			units, rest = append(units, uint16(n)), rest[len("[char]0x")+4:]
		default:
			return "", fmt.Errorf("term %d of %q is neither a string nor a [char] after one", term, expr)
		}
		if rest == "" {
			return string(utf16.Decode(units)), nil
		}
		if !strings.HasPrefix(rest, " + ") {
			return "", fmt.Errorf("%q: code after a term: %q", expr, rest)
		}
		rest = rest[len(" + "):]
	}
}

// psSingleQuoted reads the single-quoted string at the start of s.
func psSingleQuoted(s string) (value, rest string, err error) {
	r := []rune(s)
	var b strings.Builder
	for i := 1; i < len(r); i++ {
		if !strings.ContainsRune(psQuotes, r[i]) {
			b.WriteRune(r[i])
			continue
		}
		if i+1 < len(r) && strings.ContainsRune(psQuotes, r[i+1]) {
			b.WriteRune(r[i+1])
			i++
			continue
		}
		return b.String(), string(r[i+1:]), nil
	}
	return "", "", fmt.Errorf("unterminated string in %q", s)
}

// psStatement reads one line hop printed: an assignment to $Env:NAME, or
// the variable's removal.
func psStatement(line string) (name, value string, set bool, err error) {
	if n, ok := strings.CutPrefix(line, "Remove-Item -LiteralPath Env:"); ok {
		n, ok = strings.CutSuffix(n, " -ErrorAction Ignore")
		if !ok || !isName(n) {
			return "", "", false, fmt.Errorf("not a removal: %q", line)
		}
		return n, "", false, nil
	}
	assign, ok := strings.CutPrefix(line, "$Env:")
	name, expr, ok2 := strings.Cut(assign, " = ")
	if !ok || !ok2 || !isName(name) {
		return "", "", false, fmt.Errorf("not an assignment: %q", line)
	}
	value, err = psExpression(expr)
	return name, value, true, err
}

func isName(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return !(r == '_' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') })
}

// hostileValues would be code, or end a string, if hop quoted them wrong.
var hostileValues = []string{
	"", "plain", "it's", "'", "''", "a'", "‘x’", "’", "‚‛", "'’; Remove-Item ~ #",
	"`$(calc)`", "$Env:PATH", "a;b | c & d", "$(whoami)", "@(1,2)", "-Command x",
	"line1\nline2", "cr\r", "tab\t", "\x1b]0;title\a", "\u0085next", "é", "Ё‘",
	"😀'😀", "\u2028", "\"double\"", "\\back\\", "# not a comment",
}

// TestPowerShellExportReadsBack: every line of export's PowerShell format
// and of a pwsh renewal is one statement, in ASCII, that sets its variable to
// the exact value, whatever the value holds.
func TestPowerShellExportReadsBack(t *testing.T) {
	for _, v := range hostileValues {
		s := exec.Session{Profile: v, AccessKeyID: "AKID", SecretAccessKey: v, SessionToken: v, Region: v,
			Expires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
		var b bytes.Buffer
		if err := Write(&b, "powershell", s); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, ev := range exec.Vars(s) {
			want[ev.Name] = ev.Value
		}
		checkPowerShell(t, b.String(), want, v)
		b.Reset()
		if err := WriteRenewal(&b, "pwsh", s); err != nil {
			t.Fatal(err)
		}
		checkPowerShell(t, b.String(), map[string]string{"AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": v, "AWS_SESSION_TOKEN": v,
			"AWS_CREDENTIAL_EXPIRATION": "2030-01-02T03:04:05Z", "AWS_SESSION_EXPIRATION": "2030-01-02T03:04:05Z", "HOP_EXPIRES_AT": "1893553445"}, v)
	}
}

func checkPowerShell(t *testing.T, out string, want map[string]string, value string) {
	t.Helper()
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if strings.ContainsFunc(line, func(r rune) bool { return r < 0x20 || r >= 0x7f }) {
			t.Errorf("value %q: line %q is not printable ASCII", value, line)
		}
		name, v, set, err := psStatement(line)
		if err != nil {
			t.Errorf("value %q: %v", value, err)
			continue
		}
		if set {
			got[name] = v
		}
	}
	for name, w := range want {
		if w != "" && got[name] != w {
			t.Errorf("value %q: PowerShell reads %s as %q, want %q\n%s", value, name, got[name], w, out)
		}
	}
}

// TestPowerShellRenewalRemoves: a renewal without a session token removes
// the shell's old one.
func TestPowerShellRenewalRemoves(t *testing.T) {
	var b bytes.Buffer
	if err := WriteRenewal(&b, "pwsh", exec.Session{AccessKeyID: "AKID", SecretAccessKey: "S"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Remove-Item -LiteralPath Env:AWS_SESSION_TOKEN -ErrorAction Ignore\n") {
		t.Errorf("the old session token stays:\n%s", b.String())
	}
	if err := WriteRenewal(&b, "pwsh", exec.Session{AccessKeyID: "AKID", SecretAccessKey: "S\x00"}); err == nil {
		t.Error("a NUL was printed for PowerShell")
	}
}

// TestPowerShellCommandLine: each argument of a pwsh command line is one
// word holding the exact value.
func TestPowerShellCommandLine(t *testing.T) {
	for _, v := range append(hostileValues, "prod,dev", "@splat", "a+b") {
		line := CommandLine("pwsh", "hop", "renew", "--shell", "pwsh", v)
		word, ok := strings.CutPrefix(line, "hop renew --shell pwsh ")
		if !ok {
			t.Fatalf("%q", line)
		}
		got := word
		switch {
		case strings.HasPrefix(word, "(") && strings.HasSuffix(word, ")"):
			expr, err := psExpression(word[1 : len(word)-1])
			if err != nil {
				t.Errorf("value %q: %v", v, err)
			}
			got = expr
		case strings.HasPrefix(word, "'"):
			s, rest, err := psSingleQuoted(word)
			if err != nil || rest != "" {
				t.Errorf("value %q: %q is not one string (%v)", v, word, err)
			}
			got = s
		case strings.ContainsFunc(word, func(r rune) bool { return !isPlainPS(r) }):
			t.Errorf("value %q: unquoted word %q", v, word)
		}
		if got != v {
			t.Errorf("value %q: PowerShell reads %q as %q", v, word, got)
		}
	}
}
