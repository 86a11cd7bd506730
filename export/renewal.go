package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/hop-cli/hop/exec"
)

// RenewValidity is the least a renewal leaves a shell: more than the ten
// minutes at which its prompt hook renews, so one renewal lasts. A cached
// session with less left is fetched anew.
const RenewValidity = 15 * time.Minute

// RenewalShells are the shells WriteRenewal writes for.
var RenewalShells = []string{"bash", "zsh", "fish", "pwsh"}

// WriteRenewal prints, for shell to evaluate, the variables a renewal
// replaces in a hop shell: the keys and the three expiry variables. Nothing
// else (region, profile, role) is printed, so nothing else changes.
func WriteRenewal(w io.Writer, shell string, s exec.Session) error {
	set := func(name, value string) string { return "export " + name + "=" + shQuote(value) }
	unset := func(name string) string { return "unset " + name }
	switch shell {
	case "bash", "zsh":
	case "fish":
		set = func(name, value string) string { return "set -gx " + name + " " + fishQuote(value) }
		// Erasing a variable that is not set fails, and would make the
		// status of `| source` fail with it.
		unset = func(name string) string { return "set -e " + name + "; or true" }
	case "pwsh":
		set = func(name, value string) string { return "$Env:" + name + " = " + psQuote(value) }
		unset = func(name string) string { return "Remove-Item -LiteralPath Env:" + name + " -ErrorAction Ignore" }
	default:
		return fmt.Errorf("unknown shell %q; use one of %s", shell, strings.Join(RenewalShells, ", "))
	}
	var b strings.Builder
	var refused error
	line := func(name, value string) {
		if err := quotable(name, value); err != nil && refused == nil {
			refused = err
		}
		if value == "" {
			b.WriteString(unset(name) + "\n")
		} else {
			b.WriteString(set(name, value) + "\n")
		}
	}
	line("AWS_ACCESS_KEY_ID", s.AccessKeyID)
	line("AWS_SECRET_ACCESS_KEY", s.SecretAccessKey)
	line("AWS_SESSION_TOKEN", s.SessionToken)
	var rfc, unix string
	if !s.Expires.IsZero() {
		rfc, unix = s.Expires.UTC().Format(time.RFC3339), strconv.FormatInt(s.Expires.Unix(), 10)
	}
	line("AWS_CREDENTIAL_EXPIRATION", rfc)
	line("AWS_SESSION_EXPIRATION", rfc)
	line("HOP_EXPIRES_AT", unix)
	if refused != nil {
		return refused
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// CommandLine is args as a command line for shell to run, each quoted.
func CommandLine(shell string, args ...string) string {
	quote, plain := shQuote, isPlain
	switch shell {
	case "fish":
		quote = fishQuote
	case "pwsh":
		quote, plain = psArgument, isPlainPS
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = a
		if a == "" || strings.ContainsFunc(a, func(r rune) bool { return !plain(r) }) {
			quoted[i] = quote(a)
		}
	}
	return strings.Join(quoted, " ")
}

// isPlain is a character no shell treats specially.
func isPlain(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:@+,", r)
}

// isPlainPS is a character PowerShell reads as itself in an argument:
// not @ (splatting), a comma (an array) or + (after a quoted word).
func isPlainPS(r rune) bool { return r != '@' && r != ',' && r != '+' && isPlain(r) }

// psArgument quotes an argument for PowerShell, which reads a command's
// arguments in argument mode: there, an expression joined with + must be
// in parentheses to be one word.
func psArgument(s string) string {
	q := psQuote(s)
	if strings.Contains(q, " + ") {
		return "(" + q + ")"
	}
	return q
}
