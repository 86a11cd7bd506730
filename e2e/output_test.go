//go:build e2e && unix

package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hop-cli/hop/front"
	"github.com/hop-cli/hop/internal/testenv"
)

// TestUsageErrorsGoToStderr: a command line hop cannot read prints nothing
// on stdout, so `eval "$(hop ...)"` evaluates nothing, and exits 2; help
// asked for goes to stdout with status 0. It runs hop as installed, the
// front handing the line to hop-core.
func TestUsageErrorsGoToStderr(t *testing.T) {
	env := []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	for _, args := range [][]string{
		{"init", "zhs"},
		{"init"},
		{"export", "--format", "yml", "P"},
		{"--bogus"},
		{"exec", "--bogus", "P"},
		{"exec"},
		{"nosuch"},
		{"list", "extra"},
		{"help", "nosuch"},
	} {
		r := hop(t, env, args...)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "hop: error: ") || !strings.Contains(r.stderr, "Usage: hop") {
			t.Errorf("hop %s: exit %d, stdout %q, stderr %q; want exit 2, the usage and the error on stderr, nothing on stdout",
				strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
	for _, args := range [][]string{{"--help"}, {"help"}, {"help", "exec"}, {"exec", "--help"}, {"init", "-h"}} {
		r := hop(t, env, args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: hop") || r.stderr != "" {
			t.Errorf("hop %s: exit %d, stdout %q, stderr %q; want the help on stdout and exit 0", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
}

// TestMistypedInitEvalsNothing: in real bash, the rc-file line with a typo
// evaluates nothing. Before, the usage text went to stdout and ran as
// shell code: here its first line would call `Usage:`, reading the file
// named by "<shell>".
func TestMistypedInitEvalsNothing(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "shell"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	script := `Usage:() { touch ran; }
eval "$(hop init zhs)"
echo "status $?"
`
	cmd := exec.Command("bash", "--norc", "--noprofile", "-c", script)
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "PATH=" + filepath.Dir(hopBin) + ":" + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "ran")); err == nil {
		t.Errorf("eval \"$(hop init zhs)\" ran the usage text as code:\n%s", out)
	}
	if !strings.Contains(string(out), "hop: error: ") {
		t.Errorf("bash shows no error from hop:\n%s", out)
	}
}

// hostile is text a config or a server might carry to drive the terminal:
// set the title (OSC 0), write the clipboard (OSC 52), clear the screen
// (CSI 2J, and C1 CSI), reverse what follows (U+202E), and raw C0 and DEL.
const hostile = "\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J\u009b2J\u202e\x01\x7f"

// hostileName is hostile without ']', which would end a section header.
const hostileName = "\x1b[2J\u009b2J\u202e\x01\x7f\x07"

// hostileXML is what XML 1.0 can carry of hostile: no C0 controls.
const hostileXML = "\u009b2J\u202e\u0085"

// hostileConfig is appended to the scenario's config: hostile text in
// profile names, role ARNs, regions, SSO settings and source_profile.
const hostileConfig = `
[profile evil` + hostileName + `]
role_arn = arn:aws:iam::123412341234:role/R` + hostile + `
source_profile = example
region = eu-west-1` + hostile + `

[profile broken` + hostileName + `]
role_arn = arn:aws:iam::123412341234:role/X
source_profile = gone` + hostile + `

[sso-session hostile` + hostileName + `]
sso_start_url = https://hostile.example/start` + hostile + `
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile hostile-sso]
sso_session = hostile` + hostileName + `
sso_account_id = 123412341234
sso_role_name = Role` + hostile + `

[profile keys]
aws_access_key_id = AKIAEXAMPLEEXAMPLE00
aws_secret_access_key = not-a-real-secret

[profile via-keys]
role_arn = arn:aws:iam::123412341234:role/Via` + hostile + `
source_profile = keys
`

// hostileServer plays Identity Center (OIDC and portal) and STS with
// answers that carry hostile text: the device authorization's URL and user
// code, and every error body.
func hostileServer(t *testing.T) string {
	t.Helper()
	writeJSON := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now().Unix()
		switch r.URL.Path {
		case "/client/register":
			writeJSON(w, 200, map[string]any{"clientId": "client", "clientSecret": "secret", "clientIdIssuedAt": now, "clientSecretExpiresAt": now + 3600})
		case "/device_authorization":
			writeJSON(w, 200, map[string]any{
				"deviceCode": "device", "userCode": "CODE" + hostile, "expiresIn": 600, "interval": 1,
				"verificationUri":         "https://device.example/" + hostile,
				"verificationUriComplete": "https://device.example/?code=" + hostile,
			})
		case "/token":
			w.Header().Set("X-Amzn-Errortype", "AccessDeniedException")
			writeJSON(w, 400, map[string]any{"error": "access_denied" + hostile, "error_description": "denied" + hostile, "message": "denied" + hostile})
		case "/federation/credentials":
			w.Header().Set("X-Amzn-Errortype", "ForbiddenException")
			writeJSON(w, 403, map[string]any{"message": "forbidden" + hostile})
		default: // STS, the query protocol
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(403)
			fmt.Fprintf(w, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied%s</Code><Message>denied%s</Message></Error><RequestId>1</RequestId></ErrorResponse>", hostileXML, hostileXML)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestNothingPrintedDrivesTheTerminal runs every command that prints
// config text or servers' answers, with hostile text in both, and checks
// that neither stdout nor stderr holds a byte a terminal acts on.
func TestNothingPrintedDrivesTheTerminal(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, hostileConfig)
	env := e.Environ()
	server := hostileServer(t)
	hostileEnv := setenv(env, "AWS_ENDPOINT_URL_SSO_OIDC="+server, "AWS_ENDPOINT_URL_SSO="+server, "AWS_ENDPOINT_URL_STS="+server)
	evil, broken := "evil"+hostileName, "broken"+hostileName

	runs := []struct {
		env  []string
		args []string
		// shows is what the run must print, escaped, so the test knows
		// the hostile text reached the output.
		shows string
	}{
		{env, []string{"list"}, `evil\e[2J`},
		{env, []string{"list", "--json"}, `evil\u001b[2J`},
		{env, []string{"explain", evil}, `role/R\e]0;pwned`},
		{env, []string{"explain", broken}, `]0;pwned`},
		{env, []string{"explain", "hostile-sso"}, `start\e]0;pwned`},
		{env, []string{"explain", "nosuch" + hostile}, `nosuch\e]0;pwned`},
		{env, []string{"export", broken}, `]0;pwned`},
		{env, []string{"exec", "nosuch" + hostile, "--", "true"}, `]0;pwned`},
		{env, []string{"init", hostile}, `]0;pwned`},
		{env, []string{"--debug", "exec", evil, "--", "true"}, `]0;pwned`},
		{env, []string{"login", "example"}, `is valid until`},
		{hostileEnv, []string{"login", "hostile-sso"}, `confirm the code CODE\e]0;pwned`},
		// CreateToken and GetRoleCredentials carry secrets: their answers
		// are never quoted, with or without --debug.
		{hostileEnv, []string{"--debug", "login", "hostile-sso"}, `(HTTP 400 AccessDeniedException); its answer is not shown`},
		{hostileEnv, []string{"exec", "via-keys", "--", "true"}, `denied\x9b2J\u202e`},
		{hostileEnv, []string{"--debug", "export", "via-keys"}, `denied\x9b2J\u202e`},
		{hostileEnv, []string{"exec", "example", "--", "true"}, `(HTTP 403); its answer is not shown`},
	}
	for _, run := range runs {
		name := strings.Join(run.args, " ")
		r := hop(t, run.env, run.args...)
		checkTerminalSafe(t, name+" (stdout)", r.stdout)
		checkTerminalSafe(t, name+" (stderr)", r.stderr)
		if !strings.Contains(r.stdout+r.stderr, run.shows) {
			t.Errorf("hop %q does not show %q; stdout %q, stderr %q", name, run.shows, r.stdout, r.stderr)
		}
	}
}

// checkTerminalSafe fails if out holds a C0 control other than newline, DEL,
// a C1 control, a bidi control, or bytes that are not UTF-8. It does not
// call the untrusted filter, so the two can disagree.
func checkTerminalSafe(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("hop %q prints bytes that are not UTF-8: %q", what, out)
		return
	}
	for _, r := range out {
		if r < 0x20 && r != '\n' || r >= 0x7f && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c {
			t.Errorf("hop %q prints %U: %q", what, r, out)
			return
		}
	}
}

// TestBrowserSignInPrintsTheURL: when the browser starts but shows
// nothing, the user can still sign in, by opening the URL hop printed.
func TestBrowserSignInPrintsTheURL(t *testing.T) {
	e := testenv.Start(t)
	browser := filepath.Join(t.TempDir(), "browser")
	// A browser that starts and shows nothing, as on a box with no display.
	if err := os.WriteFile(browser, []byte("#!/bin/sh\nexit 0\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	env := append(withBrowser(t, e.Environ()), "BROWSER="+browser)
	h := startHop(t, env, "login", "example")
	h.waitStderr(t, "/authorize?")
	url := regexp.MustCompile(`https?://\S+/authorize\?\S+`).FindString(h.stderr.String())
	if url == "" {
		t.Fatalf("no authorize URL in %q", h.stderr.String())
	}
	// The user opens it by hand; the emulator signs in and redirects to hop.
	if out, err := exec.Command("curl", "-fsSL", url).CombinedOutput(); err != nil {
		t.Fatalf("curl %s: %v\n%s", url, err, out)
	}
	if r := h.wait(t, time.Minute); r.code != 0 || !strings.Contains(r.stderr, "hop: signed in to") {
		t.Fatalf("hop login: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestDidYouMean: a mistyped profile gets the nearest name in every
// command that takes one, before anything is fetched.
func TestDidYouMean(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	for _, args := range [][]string{
		{"exec", "requres3", "--", "true"},
		{"export", "requres3"},
		{"console", "--print", "requres3"},
		{"explain", "requres3"},
	} {
		r := hop(t, env, args...)
		if r.code == 0 || !strings.Contains(r.stdout+r.stderr, "did you mean requires3?") {
			t.Errorf("hop %v: exit %d, stdout %q, stderr %q; want a suggestion", args, r.code, r.stdout, r.stderr)
		}
	}
	if n := e.Calls(); n != 0 {
		t.Errorf("%d network calls, want 0", n)
	}
}

// TestHelpAndVersion: the commands new users try first.
func TestHelpAndVersion(t *testing.T) {
	env := testenv.Start(t).Environ()
	r := hop(t, env, "help", "sso", "sync")
	if r.code != 0 || !strings.Contains(r.stdout, "Usage: hop sso sync") {
		t.Errorf("hop help sso sync: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = hop(t, env, "help")
	if r.code != 0 || !strings.Contains(r.stdout, "Usage: hop <command>") {
		t.Errorf("hop help: exit %d, stdout %q", r.code, r.stdout)
	}
	if r = hop(t, env, "help", "nope"); r.code == 0 {
		t.Errorf("hop help nope: exit 0")
	}
	v := hop(t, env, "version")
	flag := hop(t, env, "--version")
	if v.code != 0 || !strings.HasPrefix(v.stdout, "hop ") || v.stdout != flag.stdout {
		t.Errorf("hop version %q and --version %q differ or are wrong", v.stdout, flag.stdout)
	}
}

// TestUsageErrorsExitTwo: every command line hop cannot read, or reads
// and finds wrong by itself (a malformed MFA code, a session length no
// session has, flags that exclude each other, a backend that does not
// exist, a profile given as --profile), exits 2 with three lines on
// stderr: the command's usage line, where its help is, and the error with
// what to do about it. Nothing on stdout, no network call, and the front (hop on PATH)
// and hop-core say exactly the same. Failures of the world still exit 1,
// and a command that cannot be found 127.
func TestUsageErrorsExitTwo(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	core := filepath.Join(filepath.Dir(hopBin), filepath.FromSlash(front.CorePath))
	for _, c := range []struct {
		args []string
		env  []string
		code int
		want string
	}{
		{args: []string{"exce", "requires3"}, code: 2, want: `unexpected argument exce, did you mean "exec"?`},
		{args: []string{"nosuch"}, code: 2, want: "unexpected argument nosuch"},
		{args: []string{"help", "exce"}, code: 2, want: `did you mean "exec"?`},
		{args: []string{"--bogus"}, code: 2, want: "unknown flag --bogus"},
		{args: []string{"exec", "--bogus", "requires3"}, code: 2, want: "unknown flag --bogus"},
		{args: []string{"list", "extra"}, code: 2, want: "unexpected argument extra"},
		{args: []string{"explain"}, code: 2, want: `expected "<profile>"`},
		{args: []string{"explain", "requires3", "extra"}, code: 2, want: "unexpected argument extra"},
		{args: []string{"clear", "requires3", "extra"}, code: 2, want: "unexpected argument extra"},
		{args: []string{"init", "zhs"}, code: 2, want: `must be one of "bash","zsh","fish","pwsh" but got "zhs"`},
		{args: []string{"completions", "tcsh"}, code: 2, want: `but got "tcsh"`},
		{args: []string{"export", "--format", "yml", "requires3"}, code: 2, want: `but got "yml"`},
		{args: []string{"renew", "requires3"}, code: 2, want: "missing flags: --shell"},
		{args: []string{"exec"}, code: 2, want: "name a profile: hop exec PROFILE"},
		// Values hop-core checks itself, as it reads the line.
		{args: []string{"exec", "-t", "12345", "requires3", "--", "true"}, code: 2, want: "--mfa-token: an MFA code is the six digits"},
		{args: []string{"export", "--mfa-token", "abcdef", "requires3"}, code: 2, want: "--mfa-token: an MFA code is the six digits"},
		{args: []string{"console", "-t", "1234567", "--print", "requires3"}, code: 2, want: "--mfa-token"},
		{args: []string{"rotate", "-t", "12", "requires3"}, code: 2, want: "--mfa-token"},
		{args: []string{"renew", "--shell", "bash", "--mfa-token", "x", "requires3"}, code: 2, want: "--mfa-token"},
		// A malformed code is refused before the picker too.
		{args: []string{"exec", "-t", "12345"}, code: 2, want: "--mfa-token"},
		{args: []string{"login", "--sso-session", testenv.SSOSession, "requires3"}, code: 2, want: "name a profile or --sso-session, not both"},
		{args: []string{"exec", "--no-session", "--duration", "2h", "requires3", "--", "true"}, code: 2, want: "--no-session and --duration can't be used together"},
		{args: []string{"exec", "--duration", "48h", "requires3", "--", "true"}, code: 2, want: "a session is 15m to 36h long"},
		{args: []string{"export", "--duration", "1m", "requires3"}, code: 2, want: "a session is 15m to 36h long"},
		{args: []string{"exec", "--backend", "bogus", "requires3", "--", "true"}, code: 2, want: `--backend (or HOP_BACKEND): keyring backend "bogus" is not available here`},
		{args: []string{"exec", "requires3", "--", "true"}, env: []string{"HOP_BACKEND=bogus"}, code: 2, want: `keyring backend "bogus" is not available here`},
		{args: []string{"import", "aws-vault", "--from-backend", "bogus"}, code: 2, want: `--from-backend (or AWS_VAULT_BACKEND): aws-vault's keyring backend "bogus"`},
		// --profile, as aws-vault's and the AWS CLI's users type it.
		{args: []string{"exec", "--profile", "requires3", "--", "aws", "s3", "ls"}, code: 2, want: "hop exec takes the profile as its first argument, not --profile: hop exec requires3 -- aws s3 ls"},
		{args: []string{"--profile=requires3", "exec", "true"}, code: 2, want: "hop exec requires3 true"},
		{args: []string{"export", "--profile", "two words"}, code: 2, want: "hop export 'two words'"},
		{args: []string{"list", "--profile", "requires3"}, code: 2, want: "unknown flag --profile"},
		// The command's own --profile is not hop's.
		{args: []string{"exec", "--bogus", "requires3", "aws", "--profile", "x"}, code: 2, want: "unknown flag --bogus"},
		// The world, not the line: 1, and a missing command 127.
		{args: []string{"exec", "requres3", "--", "true"}, code: 1, want: "did you mean requires3?"},
		{args: []string{"exec", "--duration", "2h", "requires3", "--", "true"}, code: 1, want: "--duration sets the length of a stored key's session"},
		{args: []string{"exec", "requires3", "--", "hop-no-such-command"}, code: 127, want: "hop-no-such-command"},
	} {
		name := strings.Join(c.args, " ")
		runEnv := setenv(env, c.env...)
		r := hop(t, runEnv, c.args...)
		if r.code != c.code || r.stdout != "" || !strings.Contains(r.stderr, c.want) {
			t.Errorf("hop %s: exit %d, stdout %q, stderr %q; want exit %d and %q", name, r.code, r.stdout, r.stderr, c.code, c.want)
			continue
		}
		if fromCore := runBin(t, core, runEnv, c.args...); fromCore != r {
			t.Errorf("hop %s: the front answers %+v, hop-core %+v", name, r, fromCore)
		}
		if c.code != 2 {
			continue
		}
		lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], "Usage: hop ") || !strings.HasPrefix(lines[1], "Run 'hop help") || !strings.HasPrefix(lines[2], "hop: error: ") {
			t.Errorf("hop %s: stderr\n%s\nwant three lines: the usage line, where the help is, the error", name, r.stderr)
		}
	}
	if n := e.Calls(); n != 0 {
		t.Errorf("%d network calls, want none", n)
	}
}

// TestClearSuggests: `hop clear` with a name that is neither in the
// config nor cached says which profile was meant, as every other command
// does, and removes nothing.
func TestClearSuggests(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	r := hop(t, env, "clear", "requres3")
	if r.code != 1 || !strings.Contains(r.stderr, `profile "requres3" is not in `+e.ConfigFile) || !strings.Contains(r.stderr, "did you mean requires3?") {
		t.Errorf("hop clear requres3: exit %d, stderr %q; want exit 1 and \"did you mean requires3?\"", r.code, r.stderr)
	}
	r = hop(t, env, "clear", "zzzzzzzz")
	if r.code != 1 || !strings.Contains(r.stderr, "run 'hop list' to see the profiles") {
		t.Errorf("hop clear zzzzzzzz: exit %d, stderr %q; want exit 1 and where to see the profiles", r.code, r.stderr)
	}
}
