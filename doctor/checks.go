package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/store"
	"github.com/hop-cli/hop/front"
	"github.com/hop-cli/hop/untrusted"
)

// checkConfig parses the config and credentials files in full, as hop
// list does: the first error names its file and line.
func checkConfig(_ context.Context, w World) []Result {
	configPath, credentialsPath := config.Paths(w.Getenv)
	cfg, err := config.Load(configPath, credentialsPath)
	if err == nil {
		err = cfg.Err()
	}
	switch {
	case err != nil:
		return problem(err.Error(), "fix that line, then run hop doctor again")
	case cfg.ConfigFileMissing():
		return problem("no config file at "+configPath, "aws configure sso, or hop sso sync, writes one (AWS_CONFIG_FILE names another)")
	}
	return ok(fmt.Sprintf("%s parses: %d profiles, %d sso-sessions", configPath, len(cfg.ProfileNames()), len(cfg.SSOSessionNames())))
}

// checkKeyring opens the keyring hop would use and reads from it.
func checkKeyring(ctx context.Context, w World) []Result {
	what, err := w.OpenKeyring(ctx)
	if err != nil {
		return problem(err.Error(), "set HOP_FILE_PASSPHRASE (or run hop in a terminal) for the file store, or pick another store with --backend or HOP_BACKEND")
	}
	return ok(what)
}

// checkInstall looks at hop as the shell finds it: `hop` on PATH must be
// the front, with hop-core where the front looks for it.
func checkInstall(_ context.Context, w World) []Result {
	const reinstall = "reinstall with make install (PREFIX=DIR), which puts the front in PREFIX/bin and hop-core in PREFIX/libexec/hop"
	onPath, err := w.LookPath("hop")
	if err != nil {
		return problem("hop is not on PATH", "add the directory hop is installed in (PREFIX/bin) to PATH, or "+reinstall)
	}
	resolved, err := filepath.EvalSymlinks(onPath)
	if err != nil {
		return problem(fmt.Sprintf("hop on PATH (%s) cannot be read: %v", onPath, err), reinstall)
	}
	if same(resolved, w.Executable) {
		return problem(fmt.Sprintf("hop on PATH (%s) is hop-core itself, not the front", onPath), reinstall)
	}
	core := filepath.Join(filepath.Dir(resolved), filepath.FromSlash(front.CorePath))
	info, err := os.Stat(core)
	if err != nil || !info.Mode().IsRegular() || info.Mode().Perm()&0o111 == 0 {
		return problem(fmt.Sprintf("hop on PATH (%s) looks for hop-core at %s, and it is not there", onPath, filepath.Clean(core)), reinstall)
	}
	detail := fmt.Sprintf("hop on PATH (%s) finds hop-core at %s", onPath, filepath.Clean(core))
	if !same(core, w.Executable) {
		detail += fmt.Sprintf("; this hop-core is another, at %s", w.Executable)
	}
	return ok(detail)
}

// same reports whether two paths are one file.
func same(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(ia, ib)
}

// shellFiles are where each shell reads its startup lines, and where its
// completions are installed, by the README's install lines.
type shellFiles struct {
	rc          []string
	completions []string
	hook        string
	complete    string
}

// filesFor is $SHELL's files, or false for a shell hop has no script for.
func filesFor(w World) (string, shellFiles, bool) {
	shell := filepath.Base(w.Getenv("SHELL"))
	home := w.Getenv("HOME")
	or := func(name, fallback string) string {
		if v := w.Getenv(name); v != "" {
			return v
		}
		return fallback
	}
	data := or("XDG_DATA_HOME", filepath.Join(home, ".local", "share"))
	config := or("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	switch shell {
	case "bash":
		return shell, shellFiles{
			rc:          []string{filepath.Join(home, ".bashrc"), filepath.Join(home, ".bash_profile"), filepath.Join(home, ".profile")},
			completions: []string{filepath.Join(data, "bash-completion", "completions", "hop"), "/usr/share/bash-completion/completions/hop", "/usr/local/share/bash-completion/completions/hop", "/etc/bash_completion.d/hop"},
			hook:        `echo 'eval "$(hop init bash)"' >> ~/.bashrc`,
			complete:    `mkdir -p "${XDG_DATA_HOME:-$HOME/.local/share}/bash-completion/completions" && hop completions bash > "${XDG_DATA_HOME:-$HOME/.local/share}/bash-completion/completions/hop"`,
		}, true
	case "zsh":
		zdot := or("ZDOTDIR", home)
		return shell, shellFiles{
			rc:          []string{filepath.Join(zdot, ".zshrc")},
			completions: []string{filepath.Join(home, ".zfunc", "_hop"), "/usr/local/share/zsh/site-functions/_hop", "/usr/share/zsh/site-functions/_hop", "/usr/share/zsh/vendor-completions/_hop"},
			hook:        `echo 'eval "$(hop init zsh)"' >> ${ZDOTDIR:-~}/.zshrc`,
			complete:    `echo 'eval "$(hop completions zsh)"' >> ${ZDOTDIR:-~}/.zshrc`,
		}, true
	case "fish":
		rc := []string{filepath.Join(config, "fish", "config.fish")}
		confd, _ := filepath.Glob(filepath.Join(config, "fish", "conf.d", "*.fish"))
		return shell, shellFiles{
			rc:          append(rc, confd...),
			completions: []string{filepath.Join(config, "fish", "completions", "hop.fish"), "/usr/share/fish/vendor_completions.d/hop.fish", "/usr/local/share/fish/vendor_completions.d/hop.fish"},
			hook:        `echo 'hop init fish | source' >> ~/.config/fish/config.fish`,
			complete:    `hop completions fish > ~/.config/fish/completions/hop.fish`,
		}, true
	}
	return shell, shellFiles{}, false
}

// rcMentions is the first rc file with a line running `hop WORD` (not
// commented out), or "".
func rcMentions(files []string, word string) string {
	for _, path := range files {
		data, err := store.ReadRegularFile(path, 1<<20)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "#") && strings.Contains(line, "hop "+word) {
				return path
			}
		}
	}
	return ""
}

func checkHook(_ context.Context, w World) []Result {
	shell, f, known := filesFor(w)
	if !known {
		return skipped(fmt.Sprintf("$SHELL is %q; hop init has scripts for bash, zsh and fish", shell))
	}
	if path := rcMentions(f.rc, "init "+shell); path != "" {
		return ok(fmt.Sprintf("%s runs hop init %s", path, shell))
	}
	return problem(fmt.Sprintf("no %s startup file runs hop init %s (looked in %s): no profile in the prompt, no renewal in hop shells", shell, shell, strings.Join(f.rc, ", ")), f.hook)
}

func checkCompletions(_ context.Context, w World) []Result {
	shell, f, known := filesFor(w)
	if !known {
		return skipped(fmt.Sprintf("$SHELL is %q; hop has completions for bash, zsh and fish", shell))
	}
	if path := rcMentions(f.rc, "completions "+shell); path != "" {
		return ok(fmt.Sprintf("%s loads hop completions %s", path, shell))
	}
	for _, path := range f.completions {
		if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() {
			return ok("installed at " + path)
		}
	}
	return problem(fmt.Sprintf("no %s completions for hop (looked in the startup files and %s)", shell, strings.Join(f.completions, ", ")), f.complete)
}

// maxSkew is how far SigV4 lets a request's clock be from AWS's.
const maxSkew = 5 * time.Minute

// clockTimeout bounds the clock check: offline, it says so and moves on.
const clockTimeout = 5 * time.Second

// checkClock compares the local clock with the Date of an STS answer: an
// unsigned GetCallerIdentity, which STS refuses, but with a Date.
func checkClock(ctx context.Context, w World) []Result {
	endpoint := stsEndpoint(w.Getenv)
	ctx, cancel := context.WithTimeout(ctx, clockTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	if err != nil {
		return problem(fmt.Sprintf("STS endpoint %s is not a URL: %v", endpoint, err), "fix AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL")
	}
	sent := w.Now()
	resp, err := w.HTTP.Do(req)
	if err != nil {
		return skipped(fmt.Sprintf("could not reach STS at %s to compare clocks (offline?): %v", endpoint, errors.Unwrap(err)))
	}
	resp.Body.Close()
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return skipped(fmt.Sprintf("STS at %s answered without a Date to compare clocks with", endpoint))
	}
	// The Date is whole seconds, stamped between sending and receiving.
	skew := sent.Add(w.Now().Sub(sent) / 2).Sub(date).Truncate(time.Second)
	where := "ahead of"
	if skew < 0 {
		where, skew = "behind", -skew
	}
	if skew > maxSkew {
		return problem(fmt.Sprintf("this clock is %s %s STS's (%s): AWS refuses requests signed more than 5m off", skew, where, endpoint),
			"set the clock right: timedatectl set-ntp true (Linux), sudo sntp -sS time.apple.com (macOS)")
	}
	return ok(fmt.Sprintf("within %s of STS's (%s)", max(skew, time.Second), endpoint))
}

// stsEndpoint is where hop's STS calls go: the endpoint variables, else
// the region's endpoint, else the global one.
func stsEndpoint(getenv func(string) string) string {
	for _, name := range []string{"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"} {
		if v := getenv(name); v != "" && getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") != "true" {
			return strings.TrimSuffix(v, "/")
		}
	}
	for _, name := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if v := getenv(name); v != "" {
			return "https://sts." + v + ".amazonaws.com"
		}
	}
	return "https://sts.amazonaws.com"
}

// checkTokens reads the cached token of each sso-session, and of each
// start URL that profiles of the legacy form (sso_start_url in the
// profile) sign in to, and nothing else: no refresh, no sign-in.
func checkTokens(_ context.Context, w World) []Result {
	configPath, credentialsPath := config.Paths(w.Getenv)
	cfg, err := config.Load(configPath, credentialsPath)
	if err != nil {
		return skipped("the config does not parse (see above)")
	}
	cache := creds.TokenCacheFor(w.Getenv)
	now := w.Now()
	var results []Result
	for _, name := range cfg.SSOSessionNames() {
		check := "sso token " + name
		s, err := cfg.SessionSettings(name)
		if err != nil {
			results = append(results, Result{Check: check, Status: Problem, Detail: err.Error(), Fix: "fix the [sso-session " + name + "] section"})
			continue
		}
		results = append(results, tokenResult(cache, s, now, check, "hop login --sso-session "+name))
	}
	// The legacy form: one token per start URL, whichever profiles use it.
	seen := map[string]bool{}
	for _, name := range cfg.ProfileNames() {
		p, _ := cfg.Profile(name)
		url := p.Get("sso_start_url")
		if url == "" || p.Get("sso_session") != "" || seen[url] {
			continue
		}
		seen[url] = true
		s := &config.SSOSettings{StartURL: url, Region: p.Get("sso_region")}
		results = append(results, tokenResult(cache, s, now, "sso token "+untrusted.Text(url), "hop login "+name))
	}
	if len(results) == 0 {
		return skipped("the config signs in to no SSO session (no [sso-session], no sso_start_url)")
	}
	return results
}

// tokenResult says whether s's cached token is good, and how to get one.
func tokenResult(cache creds.TokenCache, s *config.SSOSettings, now time.Time, check, login string) Result {
	tok, err := cache.Load(s)
	switch {
	case err != nil:
		return Result{Check: check, Status: Problem, Detail: err.Error(), Fix: login}
	case tok == nil:
		return Result{Check: check, Status: Problem, Detail: "not signed in (no token in " + cache.Path(s) + ")", Fix: login}
	case tok.Expires().After(now):
		return Result{Check: check, Status: OK, Detail: "valid until " + tok.Expires().Local().Format(time.RFC3339)}
	case tok.CanRefresh(now):
		return Result{Check: check, Status: OK, Detail: "expired at " + tok.Expires().Local().Format(time.RFC3339) + "; hop renews it with its refresh token at the next use"}
	}
	return Result{Check: check, Status: Problem, Detail: "expired at " + tok.Expires().Local().Format(time.RFC3339), Fix: login}
}

// networkVars change where hop's requests go, or whom they trust.
var networkVars = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy",
	"AWS_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR", "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"}

// checkNetwork names the proxy, endpoint and trust variables in effect:
// set on purpose they are fine, forgotten they explain a failure. A value
// that cannot work (a proxy that is no URL, a CA bundle that is not a
// file) is a problem. A proxy's password is never shown.
func checkNetwork(_ context.Context, w World) []Result {
	names := slices.Clone(networkVars)
	for _, kv := range w.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "AWS_ENDPOINT_URL") && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names[len(networkVars):])
	var set []string
	var results []Result
	for _, name := range names {
		v := w.Getenv(name)
		if v == "" {
			continue
		}
		shown, err := checkNetworkVar(name, v)
		set = append(set, name+"="+shown)
		if err != nil {
			results = append(results, Result{Status: Problem, Detail: name + "=" + shown + ": " + err.Error(), Fix: "fix or unset " + name})
		}
	}
	if len(set) == 0 {
		return append(results, Result{Status: OK, Detail: "no proxy, endpoint or CA variables set: hop talks to AWS directly"})
	}
	return append(results, Result{Status: OK, Detail: "in effect: " + strings.Join(set, " ")})
}

// checkNetworkVar returns v as it may be shown (a URL's password hidden)
// and why it cannot work, if it cannot.
func checkNetworkVar(name, v string) (string, error) {
	switch {
	case strings.HasSuffix(strings.ToUpper(name), "_PROXY") && !strings.EqualFold(name, "NO_PROXY"):
		u, err := url.Parse(v)
		if err != nil {
			// The text may hold a password: not shown.
			return "(not a URL)", errors.New("not a URL")
		}
		return u.Redacted(), nil
	case strings.HasPrefix(name, "AWS_ENDPOINT_URL"):
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return v, errors.New("not an http(s) URL")
		}
		return u.Redacted(), nil
	case name == "AWS_CA_BUNDLE" || name == "SSL_CERT_FILE":
		info, err := os.Stat(v)
		if err != nil {
			return v, err
		}
		if !info.Mode().IsRegular() {
			return v, errors.New("not a file")
		}
	}
	return v, nil
}
