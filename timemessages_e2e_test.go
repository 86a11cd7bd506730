package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/testenv"
)

// TestRenewalWarningMatchesPrompt: fed the same HOP_EXPIRES_AT, the prompt
// hook's warning and the prompt segment beside it name the same minute.
// Each expiry is a whole number of minutes and hours from the second the
// run starts in, where rounding the fraction of a second one way and not
// the other shows a minute less. Real bash draws the segment; the warning
// comes from hop as installed.
func TestRenewalWarningMatchesPrompt(t *testing.T) {
	dir := t.TempDir()
	initScript := filepath.Join(dir, "init.bash")
	r := hop(t, []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH")}, "init", "bash")
	if r.code != 0 {
		t.Fatalf("hop init bash: exit %d, %s", r.code, r.stderr)
	}
	if err := os.WriteFile(initScript, []byte(r.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	// Renewing an unknown profile fails at once, with no network: the
	// warning says how long the shell's credentials have.
	env := []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "AWS_CONFIG_FILE=" + filepath.Join(dir, "config"), "HOP_PROFILE=gone"}
	warned := regexp.MustCompile(`expire in (\S+) and`)
	for _, ahead := range []int64{300, 3600, 2*3600 + 60} {
		var prompt, warning string
		for attempt := 0; ; attempt++ {
			if attempt == 20 {
				t.Fatalf("%ds ahead: no run of bash and hop began and ended within one second of the clock", ahead)
			}
			// Start as a second begins, so both runs fall in it.
			start := time.Now().Unix()
			for time.Now().Unix() == start {
				time.Sleep(time.Millisecond)
			}
			start++
			runEnv := setenv(env, "HOP_EXPIRES_AT="+strconv.FormatInt(start+ahead, 10))
			r := hop(t, runEnv, "renew", "--hook", "--shell", "bash", "gone")
			cmd := exec.Command("bash", "--norc", "--noprofile", "-c", `source "$1"; __hop_segment; printf %s "$__hop_text"`, "bash", initScript)
			cmd.Env = runEnv
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("bash: %v\n%s", err, out)
			}
			if time.Now().Unix() != start {
				continue
			}
			m := warned.FindStringSubmatch(r.stderr)
			if m == nil {
				t.Fatalf("hop renew --hook: exit %d, stderr %q; want the time left", r.code, r.stderr)
			}
			prompt, warning = string(out), m[1]
			break
		}
		if want := "(gone " + warning + ")"; prompt != want {
			t.Errorf("%ds ahead: the warning says %s, the prompt %q", ahead, warning, prompt)
		}
	}
}

// TestLoginSaysWhen: login's "valid until" is local time with its zone,
// with "tomorrow" or the date when the token outlives the day, and agrees
// with the time left it gives.
func TestLoginSaysWhen(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skipf("no zone database: %v", err)
	}
	e := testenv.Start(t)
	env := setenv(e.Environ(), "TZ=Asia/Tokyo")
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	for _, ttl := range []time.Duration{8 * time.Hour, 50 * time.Hour} {
		e.IDC.SetAccessTokenTTL(ttl)
		before := time.Now().In(tokyo)
		r := hop(t, env, "login", "--force")
		after := time.Now().In(tokyo)
		if r.code != 0 {
			t.Fatalf("hop login: exit %d, %s", r.code, r.stderr)
		}
		expires, err := time.Parse("2006-01-02T15:04:05Z", e.ReadCLIToken(t).ExpiresAt)
		if err != nil {
			t.Fatal(err)
		}
		expires = expires.In(tokyo)
		// The day may turn during the run: either reading is right.
		var wants []string
		for _, now := range []time.Time{before, after} {
			want := expires.Format("2006-01-02 15:04 JST")
			switch day(expires) {
			case day(now):
				want = expires.Format("15:04 JST")
			case day(now.AddDate(0, 0, 1)):
				want = expires.Format("15:04 JST") + " tomorrow"
			}
			wants = append(wants, "is valid until "+want+" (")
		}
		if !strings.Contains(r.stderr, wants[0]) && !strings.Contains(r.stderr, wants[1]) {
			t.Errorf("token for %s: hop login says %q; want %q", ttl, r.stderr, wants[0])
		}
		if ttl == 50*time.Hour && !strings.Contains(r.stderr, "until "+day(expires)+" ") {
			t.Errorf("a token two days long: hop login says %q; want its date", r.stderr)
		}
	}
}

// TestExplainChainedRoleCap: explain speaks of STS's 1-hour cap on a
// chained role only when the role asks for more, and then refuses it; a
// chained role asking for nothing gets no note about it.
func TestExplainChainedRoleCap(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	if err := os.WriteFile(config, []byte(`[profile base]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
[profile first]
role_arn = arn:aws:iam::123412341234:role/First
source_profile = base
[profile second]
role_arn = arn:aws:iam::123412341234:role/Second
source_profile = first
[profile hour]
role_arn = arn:aws:iam::123412341234:role/Second
source_profile = first
duration_seconds = 3600
[profile long]
role_arn = arn:aws:iam::123412341234:role/Second
source_profile = first
duration_seconds = 7200
`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "AWS_CONFIG_FILE=" + config, "HOP_BACKEND=file", "HOP_FILE_DIR=" + filepath.Join(dir, "keys")}
	for _, profile := range []string{"second", "hour"} {
		r := hop(t, env, "explain", profile)
		if r.code != 0 || strings.Contains(r.stdout, "1 hour") || strings.Contains(r.stdout, "caps") {
			t.Errorf("hop explain %s: exit %d; want no note of a cap nothing asks past:\n%s", profile, r.code, r.stdout)
		}
	}
	r := hop(t, env, "explain", "long")
	if r.code != 1 || !strings.Contains(r.stdout, "duration_seconds = 7200 asks for more than the 1 hour STS allows") {
		t.Errorf("hop explain long: exit %d; want the 1-hour cap named:\n%s", r.code, r.stdout)
	}
}
