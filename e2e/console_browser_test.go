//go:build e2e && unix

package e2e

import (
	"encoding/json"
	"errors"
	"io/fs"
	"net/url"
	"os"
	osexec "os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// otherRoleProfile is a second account's profile for the console: a role
// like requires3's, under another name.
const otherRoleProfile = "[profile other]\nrole_arn = arn:aws:iam::123412341234:role/RoleForS3\nsource_profile = example\n"

// recordingBrowser is a stand-in browser: it writes its arguments, one a
// line, and a copy of the file:// page it was handed to $RECORD.
const recordingBrowser = `out="$RECORD"
printf '%s\n' "$@" > "$out/argv"
for a in "$@"; do
	case "$a" in file://*) cp "${a#file://}" "$out/page" ;; esac
done
touch "$out/done"
`

// consoleRun runs hop console with the stand-ins first in PATH and
// returns what the browser recorded.
func consoleRun(t *testing.T, env []string, args ...string) (argv []string, page string) {
	t.Helper()
	record := t.TempDir()
	r := hop(t, setenv(env, "RECORD="+record), append([]string{"console"}, args...)...)
	if r.code != 0 {
		t.Fatalf("hop console %v: exit %d, stderr %q", args, r.code, r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(record, "argv"))
	if err != nil {
		t.Fatalf("hop console %v started no browser: %v", args, err)
	}
	pageData, _ := os.ReadFile(filepath.Join(record, "page"))
	return strings.Split(strings.TrimSpace(string(data)), "\n"), string(pageData)
}

// consoleWorld is a world with two role profiles and stand-ins for Chrome
// and Firefox, found before any real browser.
func consoleWorld(t *testing.T) (*testenv.Env, []string, string) {
	e := testenv.Start(t)
	e.AppendConfig(t, otherRoleProfile)
	bin := t.TempDir()
	writeScript(t, filepath.Join(bin, "google-chrome"), recordingBrowser)
	writeScript(t, filepath.Join(bin, "firefox"), recordingBrowser)
	state := filepath.Join(t.TempDir(), "state")
	env := setenv(e.Environ(), "AWS_ENDPOINT_URL_SIGNIN="+e.IDC.URL(), "PATH="+bin+":/usr/bin:/bin",
		"XDG_RUNTIME_DIR="+t.TempDir(), "XDG_STATE_HOME="+state)
	return e, env, filepath.Join(state, "hop", "browser")
}

// TestConsoleChromeProfilePerAccount: with --browser chrome-profile each
// profile's console opens in Chrome with a user data directory of its
// own (0700, under hop's state), so two accounts' sessions sit side by
// side; the browser is handed the file:// page, never the sign-in URL.
func TestConsoleChromeProfilePerAccount(t *testing.T) {
	e, env, browserDir := consoleWorld(t)
	dirs := map[string]string{}
	for _, profile := range []string{"requires3", "other"} {
		argv, page := consoleRun(t, env, profile, "--browser", "chrome-profile")
		want := "--user-data-dir=" + filepath.Join(browserDir, profile)
		if !strings.Contains(strings.Join(argv, "\n"), want) || !strings.HasPrefix(argv[len(argv)-1], "file://") {
			t.Errorf("%s: the browser's argv is %q, want %s and the file:// page last", profile, argv, want)
		}
		if strings.Contains(strings.Join(argv, " "), "SigninToken") {
			t.Errorf("%s: the sign-in URL is on the browser's command line: %q", profile, argv)
		}
		if !strings.Contains(page, "SigninToken=") {
			t.Errorf("%s: the page does not forward to the sign-in URL:\n%s", profile, page)
		}
		info, err := os.Stat(filepath.Join(browserDir, profile))
		if err != nil || info.Mode().Perm() != 0o700 {
			t.Errorf("%s: the data directory is %v (%v), want a 0700 directory", profile, info, err)
		}
		dirs[want] = profile
	}
	if len(dirs) != 2 {
		t.Errorf("two profiles share a data directory: %v", dirs)
	}
	if n := e.IDC.Count(idc.OpGetSigninToken); n != 2 {
		t.Errorf("getSigninToken called %d times, want 2", n)
	}
}

// TestConsoleFirefoxContainerPerAccount: with HOP_BROWSER=firefox-container
// Firefox is handed the file:// page, which goes on to an ext+container:
// link naming the profile's container, its url the sign-in URL. The link
// is followed inside the browser: container extensions cannot open file:
// pages, and the sign-in URL must stay off argv.
func TestConsoleFirefoxContainerPerAccount(t *testing.T) {
	_, env, _ := consoleWorld(t)
	env = setenv(env, "HOP_BROWSER=firefox-container")
	replace := regexp.MustCompile(`location\.replace\(("[^"]*")\)`)
	names := map[string]bool{}
	for _, profile := range []string{"requires3", "other"} {
		argv, page := consoleRun(t, env, profile, "s3")
		if len(argv) != 1 || !strings.HasPrefix(argv[0], "file://") {
			t.Fatalf("%s: Firefox's argv is %q, want the file:// page alone", profile, argv)
		}
		m := replace.FindStringSubmatch(page)
		var link string
		if m == nil || json.Unmarshal([]byte(m[1]), &link) != nil {
			t.Fatalf("%s: the page forwards nowhere:\n%s", profile, page)
		}
		rest, ok := strings.CutPrefix(link, "ext+container:")
		q, err := url.ParseQuery(rest)
		if !ok || err != nil {
			t.Fatalf("%s: the page forwards to %q, want an ext+container: link", profile, link)
		}
		signin, err := url.Parse(q.Get("url"))
		if q.Get("name") != profile || err != nil || signin.Query().Get("SigninToken") == "" ||
			signin.Query().Get("Destination") != "https://console.aws.amazon.com/s3/home?region="+testenv.Region {
			t.Errorf("%s: the link is %q, want container %s and the sign-in URL for s3", profile, link, profile)
		}
		names[q.Get("name")] = true
	}
	if len(names) != 2 {
		t.Errorf("two profiles share a container: %v", names)
	}
}

// TestConsoleBrowserRefusals: an unknown HOP_BROWSER is a usage error
// before any sign-in; two pages at once are one too; a mode whose
// browser is missing says which it looked for, and leaves no page.
func TestConsoleBrowserRefusals(t *testing.T) {
	e, env, _ := consoleWorld(t)
	r := hop(t, setenv(env, "HOP_BROWSER=opera"), "console", "requires3")
	if r.code != 2 || !strings.Contains(r.stderr, "browser") || !strings.Contains(r.stderr, "opera") {
		t.Errorf("HOP_BROWSER=opera: exit %d, stderr %q; want a usage error naming it", r.code, r.stderr)
	}
	r = hop(t, env, "console", "requires3", "s3", "--destination", "/ec2/home")
	if r.code != 2 || !strings.Contains(r.stderr, "--destination") {
		t.Errorf("a page and --destination: exit %d, stderr %q; want a usage error", r.code, r.stderr)
	}
	r = hop(t, env, "console", "requires3", "--destination", "//evil.example/x", "--print")
	if r.code == 0 || !strings.Contains(r.stderr, "/s3/buckets") {
		t.Errorf("--destination //evil.example/x: exit %d, stderr %q; want a refusal saying what to give", r.code, r.stderr)
	}
	if n := e.IDC.Count(idc.OpGetSigninToken); n != 0 {
		t.Errorf("getSigninToken called %d times by refused commands", n)
	}

	runtime := t.TempDir()
	r = hop(t, setenv(env, "PATH=/nonexistent", "XDG_RUNTIME_DIR="+runtime), "console", "requires3", "--browser", "chrome-profile")
	if r.code == 0 || !strings.Contains(r.stderr, "Chrome or Chromium") || !strings.Contains(r.stderr, "--print") {
		t.Errorf("no Chrome: exit %d, stderr %q", r.code, r.stderr)
	}
	left, _ := filepath.Glob(filepath.Join(runtime, "hop", "*"))
	if len(left) != 0 {
		t.Errorf("pages left behind: %v", left)
	}
}

// TestConsoleChromeProfileInChromium: Debian's chromium, started as hop
// starts Chrome for a profile, takes the user data directory hop gives
// it, follows the page and is signed in by the federation endpoint.
func TestConsoleChromeProfileInChromium(t *testing.T) {
	chromium, err := osexec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed")
	}
	e, env, browserDir := consoleWorld(t)
	bin := t.TempDir()
	record := t.TempDir()
	// hop's arguments as they are, with what running headless here needs.
	writeScript(t, filepath.Join(bin, "google-chrome"), `timeout 60 `+chromium+` --headless=new --no-sandbox --disable-gpu --dump-dom "$@" >`+
		filepath.Join(record, "dom")+` 2>&1
touch `+filepath.Join(record, "done")+`
`)
	env = setenv(env, "PATH="+bin+":/usr/bin:/bin")
	if r := hop(t, env, "console", "other", "--browser", "chrome-profile"); r.code != 0 {
		t.Fatalf("hop console: exit %d, stderr %q", r.code, r.stderr)
	}
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(record, "done")); err == nil {
			break
		}
	}
	dom, _ := os.ReadFile(filepath.Join(record, "dom"))
	if n := e.IDC.Count(idc.OpConsoleLogin); n != 1 || !strings.Contains(string(dom), "console.aws.amazon.com") {
		t.Errorf("the federation endpoint saw %d sign-ins from chromium, want 1; chromium's page:\n%.2000s", n, dom)
	}
	if _, err := os.Stat(filepath.Join(browserDir, "other", "Default")); errors.Is(err, fs.ErrNotExist) {
		t.Errorf("chromium did not keep its profile in hop's data directory for other: %v", err)
	}
}
