//go:build e2e

package shellinit

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// renewedVars are what a renewal may change; the environment less these
// must stay the same.
const renewedVars = `'^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_CREDENTIAL_EXPIRATION|AWS_SESSION_EXPIRATION|HOP_EXPIRES_AT|_)='`

// TestTmuxRenewal is a hop shell, in each real shell, whose credentials
// near their end: the prompt hook replaces them before the next prompt,
// from the Identity Center emulator or, when another hop process already
// did, from hop's cache; the rest of the environment stays as it was. Once
// the user has signed out, the hook says once what to run, starts no
// sign-in, and the prompt still draws.
func TestTmuxRenewal(t *testing.T) {
	e := testenv.Start(t)
	env := map[string]string{}
	var environ []string
	for _, kv := range e.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	// The kernel keyring needs no passphrase, which a hop shell never has.
	env["HOP_BACKEND"] = "keyctl"
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	hop := func(args ...string) {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), hopBinary(t)+"/hop", args...)
		cmd.Env = environ
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("hop %v: %v\n%s", args, err, out)
		}
	}
	t.Cleanup(func() {
		cmd := exec.CommandContext(context.Background(), hopBinary(t)+"/hop", "clear", "--sso")
		cmd.Env = environ
		cmd.Run()
	})
	files := map[string]string{}
	for _, shell := range runShells() {
		for name, content := range rc(shell) {
			files[name] = content
		}
	}
	sum := map[string]string{
		"bash": `echo "sum=[$(env | grep -Ev ` + renewedVars + ` | sort | cksum)]"`,
		"zsh":  `echo "sum=[$(env | grep -Ev ` + renewedVars + ` | sort | cksum)]"`,
		"fish": `echo "sum=["(env | grep -Ev ` + renewedVars + ` | sort | cksum)"]"`,
	}
	expiry := map[string]string{
		"bash": `echo "exp=[$AWS_CREDENTIAL_EXPIRATION $AWS_SESSION_EXPIRATION]"`,
		"zsh":  `echo "exp=[$AWS_CREDENTIAL_EXPIRATION $AWS_SESSION_EXPIRATION]"`,
		"fish": `echo "exp=[$AWS_CREDENTIAL_EXPIRATION $AWS_SESSION_EXPIRATION]"`,
	}
	renewed := regexp.MustCompile(`^\(example ` + testenv.AccountID + ` (?:59m|1h00m)\) user\[0\] ` + promptMark + `$`)
	for _, shell := range runShells() {
		t.Run(shell, func(t *testing.T) {
			// hop's cache holds credentials with eight minutes left, as if
			// fetched nearly an hour ago.
			hop("clear", "example")
			e.IDC.SetRoleCredentialsTTL(8 * time.Minute)
			hop("exec", "example", "--", "true")
			e.IDC.SetRoleCredentialsTTL(time.Hour)
			fetched := e.IDC.Count(idc.OpGetRoleCredentials)

			env["SHELL"] = shellPath(t, shell)
			s := startSession(t, shell, files, env)
			s.send("hop exec example")
			if got := s.prompt("", false); !renewed.MatchString(got) {
				t.Fatalf("%s: the hop shell's prompt is %q; want its credentials renewed to an hour", shell, got)
			}
			if got := e.IDC.Count(idc.OpGetRoleCredentials); got != fetched+1 {
				t.Errorf("%s: %d GetRoleCredentials calls for one renewal, want 1", shell, got-fetched)
			}
			exp := strings.Fields(s.output(expiry[shell], "exp"))
			if len(exp) != 2 || exp[0] != exp[1] {
				t.Errorf("%s: AWS_CREDENTIAL_EXPIRATION and AWS_SESSION_EXPIRATION after renewal: %q", shell, exp)
			} else if at, err := time.Parse(time.RFC3339, exp[0]); err != nil || time.Until(at) < 50*time.Minute {
				t.Errorf("%s: AWS_CREDENTIAL_EXPIRATION %q after renewal, want an hour away", shell, exp[0])
			}

			// Another renewal, which finds what the first left in hop's
			// cache: no call, and nothing but the renewed variables changes.
			before := s.output(sum[shell], "sum")
			if got := s.prompt(setenv(shell, "HOP_EXPIRES_AT", expiresIn(time.Minute)), false); !renewed.MatchString(got) {
				t.Errorf("%s: prompt %q after a warm renewal", shell, got)
			}
			if after := s.output(sum[shell], "sum"); after != before {
				t.Errorf("%s: the renewal changed more than the credentials: env less them was %s, now %s", shell, before, after)
			}
			if got := e.IDC.Count(idc.OpGetRoleCredentials); got != fetched+1 {
				t.Errorf("%s: the warm renewal called Identity Center", shell)
			}

			// Signed out: renewing needs a person.
			hop("clear", "--sso", "example")
			signIns := e.IDC.Count(idc.OpStartDeviceAuthorization) + e.IDC.Count(idc.OpAuthorize)
			wantPrompt(t, shell, "renewal needs a sign-in",
				s.prompt(setenv(shell, "HOP_EXPIRES_AT", expiresIn(5*time.Minute+30*time.Second)), false),
				"(example "+testenv.AccountID+" 5m) user[0] "+promptMark)
			wantPrompt(t, shell, "a later prompt", s.prompt("true", false), "(example "+testenv.AccountID+" 5m) user[0] "+promptMark)
			screen := s.capture(false)
			notices := regexp.MustCompile(`hop: warning: .*example.* renewing them needs you .*to renew this shell, run: .*hop renew --shell `+shell+` example`).FindAllString(screen, -1)
			if len(notices) != 1 {
				t.Errorf("%s: %d renewal notices, want one; screen:\n%s", shell, len(notices), screen)
			}
			if got := e.IDC.Count(idc.OpStartDeviceAuthorization) + e.IDC.Count(idc.OpAuthorize); got != signIns {
				t.Errorf("%s: the prompt hook started a sign-in", shell)
			}
			// The command the notice names renews the shell, signing in.
			run := map[string]string{
				"bash": `eval "$(hop renew --shell bash example)"`,
				"zsh":  `eval "$(hop renew --shell zsh example)"`,
				"fish": `hop renew --shell fish example | source`,
			}[shell]
			if got := s.prompt(run, false); !renewed.MatchString(got) {
				t.Errorf("%s: prompt %q after %s, want the credentials renewed", shell, got, run)
			}
			s.send("exit")
		})
	}
}

// TestRenewalHookReadsHopsBytes: each shell's renewal hook, given a hop
// whose assignments carry a NUL inside a quoted value (hop itself never
// prints one: creds and export refuse it), runs none of what follows the
// NUL, and the prompt still draws. fish's hook once passed hop's output
// through a command substitution and printf, which cut each value at the
// NUL and its closing quote with it, so the rest ran as code.
func TestRenewalHookReadsHopsBytes(t *testing.T) {
	bin := t.TempDir()
	fake := `#!/bin/sh
touch ran
case "$*" in
*"--shell fish"*) printf "set -gx AWS_SECRET_ACCESS_KEY 'a\000'\nset -gx AWS_SESSION_TOKEN '; touch pwned; #\000'\n" ;;
*) printf "export AWS_SECRET_ACCESS_KEY='a\000'\nexport AWS_SESSION_TOKEN='; touch pwned; #\000'\n" ;;
esac
`
	if err := os.WriteFile(filepath.Join(bin, "hop"), []byte(fake), 0o700); err != nil {
		t.Fatal(err)
	}
	arm := map[string]string{
		"bash": "PATH=" + shQuote(bin) + ":$PATH",
		"zsh":  "PATH=" + shQuote(bin) + ":$PATH",
		"fish": "set -gx PATH " + shQuote(bin) + " $PATH",
	}
	for _, shell := range runShells() {
		env := hopEnv("requires3", "123412341234", expiresIn(5*time.Minute+30*time.Second), "HOP_RENEW", "1")
		prompt, dir := renderIn(t, shell, arm[shell], env)
		if _, err := os.Stat(filepath.Join(dir, "ran")); err != nil {
			t.Fatalf("%s: the renewal hook did not run hop", shell)
		}
		if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
			t.Errorf("%s: the renewal hook ran what followed a NUL in hop's output", shell)
		}
		if !strings.Contains(prompt, "user> ") {
			t.Errorf("%s: no prompt after the renewal: %q", shell, prompt)
		}
	}
}

// TestTmuxRenewalRefusesNULCredentials is a hop shell in a real fish,
// bash and zsh whose profile's credential_process helper now returns
// values holding a NUL: the prompt hook's renewal runs nothing of them,
// changes none of the shell's credentials, and says once which profile and
// which source failed.
func TestTmuxRenewalRefusesNULCredentials(t *testing.T) {
	for _, shell := range runShells() {
		t.Run(shell, func(t *testing.T) {
			dir := t.TempDir()
			pwned := filepath.Join(dir, "pwned")
			helper := filepath.Join(dir, "helper")
			doc := `{"Version":1,"AccessKeyId":"AKIAHELPERKEY","SecretAccessKey":"a\u0000","SessionToken":"; touch ` + pwned + `; #\u0000","Expiration":"2099-01-01T00:00:00Z"}`
			if err := os.WriteFile(helper, []byte("#!/bin/sh\ncat <<'EOF'\n"+doc+"\nEOF\n"), 0o700); err != nil {
				t.Fatal(err)
			}
			config := filepath.Join(dir, "config")
			if err := os.WriteFile(config, []byte("[profile nul]\ncredential_process = "+helper+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			env := hopEnv("nul", "", expiresIn(5*time.Minute+30*time.Second), "HOP_RENEW", "1",
				"AWS_CONFIG_FILE", config, "AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"),
				"AWS_SECRET_ACCESS_KEY", "old-secret", "HOP_BACKEND", "keyctl")
			s := startSession(t, shell, rc(shell), env)
			s.prompt("true", false)
			if _, err := os.Stat(pwned); err == nil {
				t.Fatalf("%s: the renewal ran a credential value as code", shell)
			}
			if got := s.output(`echo "secret=[$AWS_SECRET_ACCESS_KEY]"`, "secret"); got != "old-secret" {
				t.Errorf("%s: the shell's secret is %q after a refused renewal, want it unchanged", shell, got)
			}
			screen := s.capture(false)
			notices := regexp.MustCompile(`hop: warning: .*profile nul.* renewing them failed \(profile nul: credential_process "`+regexp.QuoteMeta(helper)+`" handed out credentials hop will not use: the secret access key has a control`).FindAllString(strings.ReplaceAll(screen, "\n", ""), -1)
			if len(notices) != 1 {
				t.Errorf("%s: %d notices naming the profile and the helper, want one; screen:\n%s", shell, len(notices), screen)
			}
		})
	}
}
