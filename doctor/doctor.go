// Package doctor answers "why doesn't this work?" in one run: a list of
// small checks, each looking at one thing hop depends on (the config, the
// keyring, the install, the shell, the clock, the SSO tokens, the network
// settings) and saying it is fine, or what is wrong and what to run. It
// reads; it never signs in, fetches credentials or writes a file.
package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hop-cli/hop/untrusted"
)

// Status is a check's verdict.
type Status string

const (
	// OK: the check found nothing wrong.
	OK Status = "ok"
	// Problem: something hop needs is wrong; Fix says what to run.
	Problem Status = "problem"
	// Skipped: the check could not look (offline, an unknown shell).
	Skipped Status = "skipped"
)

// Result is one check's answer. Detail and Fix hold text from outside hop
// (paths, config values, server answers): data, filtered when printed.
type Result struct {
	Check  string `json:"check"`
	Status Status `json:"status"`
	Detail string `json:"detail,omitempty"`
	Fix    string `json:"fix,omitempty"`
}

// Check is one thing to look at. Run returns one result or more (one per
// sso-session, say).
type Check struct {
	Name string
	Run  func(ctx context.Context, w World) []Result
}

// World is what the checks look at, so a test can point them elsewhere.
type World struct {
	Getenv  func(string) string
	Environ func() []string
	// Executable is the running hop-core's path, symlinks resolved.
	Executable string
	// LookPath finds a program on PATH.
	LookPath func(string) (string, error)
	// HTTP reaches STS for the clock check.
	HTTP *http.Client
	// OpenKeyring opens the keyring hop would use and reads one item,
	// asking for nothing: nil when it opens and unlocks.
	OpenKeyring func(ctx context.Context) (string, error)
	Now         func() time.Time
}

// Checks are hop doctor's, in the order they are shown: a later one
// often fails because an earlier one did.
var Checks = []Check{
	{"config", checkConfig},
	{"keyring", checkKeyring},
	{"install", checkInstall},
	{"shell hook", checkHook},
	{"completions", checkCompletions},
	{"clock", checkClock},
	{"sso token", checkTokens},
	{"network settings", checkNetwork},
}

// Run runs every check in order.
func Run(ctx context.Context, w World, checks []Check) []Result {
	var all []Result
	for _, c := range checks {
		for _, r := range c.Run(ctx, w) {
			if r.Check == "" {
				r.Check = c.Name
			}
			all = append(all, r)
		}
	}
	return all
}

// Failed reports whether any result is a problem.
func Failed(results []Result) bool {
	for _, r := range results {
		if r.Status == Problem {
			return true
		}
	}
	return false
}

// WriteText prints one line per result ("ok", "PROBLEM" or "skipped",
// the check, what was found) and, under a problem, what to run.
func WriteText(out io.Writer, results []Result) error {
	var b strings.Builder
	for _, r := range results {
		label := map[Status]string{OK: "ok", Problem: "PROBLEM", Skipped: "skipped"}[r.Status]
		fmt.Fprintf(&b, "%-8s %s: %s\n", label, untrusted.Text(r.Check), untrusted.Text(r.Detail))
		if r.Fix != "" {
			fmt.Fprintf(&b, "%-8s → %s\n", "", untrusted.Text(r.Fix))
		}
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// WriteJSON prints the results as one JSON array, for scripts.
func WriteJSON(out io.Writer, results []Result) error {
	if results == nil {
		results = []Result{}
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(results)
}

// ok, problem and skipped make one result.
func ok(detail string) []Result { return []Result{{Status: OK, Detail: detail}} }
func problem(detail, fix string) []Result {
	return []Result{{Status: Problem, Detail: detail, Fix: fix}}
}
func skipped(detail string) []Result { return []Result{{Status: Skipped, Detail: detail}} }
