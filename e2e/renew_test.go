//go:build e2e && unix

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// TestRenewHookFileKeyring runs what a hop shell's prompt hook runs where
// the session cache is the file keyring, whose passphrase never reaches a
// hop shell: nothing on stdout to evaluate, one line saying what to run,
// no prompt and no sign-in. With the passphrase, it prints the six
// assignments.
func TestRenewHookFileKeyring(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("hop exec requires3: %s", r.stderr)
	}
	// Half a minute over 8m: minutes left are counted in whole seconds, so
	// the warning says 8m however long the runs below take.
	shell := setenv(env, "HOP_FILE_PASSPHRASE=", "HOP_EXPIRES_AT="+strconv.FormatInt(time.Now().Add(8*time.Minute+30*time.Second).Unix(), 10))
	// The cached role session lasts an hour: ask for more than that, as a
	// shell whose own copy is about to end would get, by clearing it.
	if r := hop(t, env, "clear", "requires3"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	calls := e.Calls()
	r := hop(t, shell, "renew", "--hook", "--shell", "bash", "requires3")
	if r.code == 0 || r.stdout != "" {
		t.Errorf("renew --hook without the passphrase: exit %d, stdout %q; want a failure and nothing to evaluate", r.code, r.stdout)
	}
	if strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "passphrase") || !strings.Contains(r.stderr, "expire in 8m") ||
		!strings.Contains(r.stderr, `eval "$(hop renew --shell bash requires3)"`) {
		t.Errorf("want one line naming the passphrase, the time left and the command; stderr:\n%s", r.stderr)
	}
	if e.Calls() != calls || e.IDC.Count(idc.OpStartDeviceAuthorization) != 1 {
		t.Errorf("renew --hook without the passphrase called AWS or started a sign-in")
	}

	r = hop(t, env, "renew", "--hook", "--shell", "bash", "requires3")
	if r.code != 0 || strings.Count(r.stdout, "\nexport ") != 5 || !strings.HasPrefix(r.stdout, "export AWS_ACCESS_KEY_ID='") {
		t.Errorf("renew --hook with the passphrase: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

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
