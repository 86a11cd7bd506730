package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hop-cli/hop/front"
	"github.com/hop-cli/hop/internal/testenv"
)

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
		{args: []string{"init", "zhs"}, code: 2, want: `must be one of "bash","zsh","fish" but got "zhs"`},
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
