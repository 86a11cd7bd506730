//go:build e2e && unix

package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hop-cli/hop/internal/testenv"
)

// TestAWSVaultSpellings runs each of aws-vault's exec, export, list and
// console (aws-vault's login) flags through hop: a flag hop has under
// another spelling gives what that spelling gives, byte for byte, and one
// it spells otherwise or does without is a usage error (exit 2) naming
// what to type instead, with nothing run and nothing printed on stdout.
func TestAWSVaultSpellings(t *testing.T) {
	e := testenv.Start(t)
	env := append(e.Environ(), "AWS_ENDPOINT_URL_SIGNIN="+e.IDC.URL())
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("warming the cache: %s", r.stderr)
	}
	show := []string{"--", "sh", "-c", `echo "$HOP_PROFILE ${AWS_CONTAINER_CREDENTIALS_FULL_URI:+served} $AWS_REGION"`}
	same := []struct{ theirs, ours []string }{
		{[]string{"exec", "requires3", "-j"}, []string{"export", "requires3", "--format", "process"}},
		{[]string{"exec", "-j", "requires3"}, []string{"export", "requires3", "--format", "process"}},
		{[]string{"exec", "requires3", "--json"}, []string{"export", "requires3", "--format", "process"}},
		{append([]string{"exec", "requires3", "--ecs-server"}, show...), append([]string{"exec", "requires3", "--server"}, show...)},
		{append([]string{"exec", "requires3", "-s"}, show...), append([]string{"exec", "requires3", "--server"}, show...)},
		{append([]string{"exec", "requires3", "--stdout"}, show...), append([]string{"exec", "requires3", "--no-browser"}, show...)},
		{append([]string{"exec", "requires3", "-d", "2h"}, show...), append([]string{"exec", "requires3", "--duration", "2h"}, show...)},
		{append([]string{"exec", "requires3", "-n"}, show...), append([]string{"exec", "requires3", "--no-session"}, show...)},
		{append([]string{"exec", "requires3", "--region", "eu-west-1"}, show...), append([]string{"exec", "requires3", "--region=eu-west-1"}, show...)},
		{[]string{"export", "requires3", "--format", "export-env"}, []string{"export", "requires3", "--format", "env"}},
		{[]string{"export", "requires3", "--stdout"}, []string{"export", "requires3", "--no-browser"}},
		{[]string{"export", "requires3", "-d", "2h"}, []string{"export", "requires3", "--duration", "2h"}},
		{[]string{"export", "requires3", "-n"}, []string{"export", "requires3", "--no-session"}},
		{[]string{"ls"}, []string{"list"}},
		{[]string{"ls", "--profiles"}, []string{"list", "--profiles"}},
		{[]string{"console", "requires3", "--stdout"}, []string{"console", "requires3", "--print"}},
		{[]string{"console", "requires3", "-s"}, []string{"console", "requires3", "--print"}},
		{[]string{"console", "requires3", "-s", "-n"}, []string{"console", "requires3", "--print", "--no-session"}},
		{[]string{"console", "requires3", "-s", "-d", "2h"}, []string{"console", "requires3", "--print", "--duration", "2h"}},
	}
	for _, c := range same {
		t.Run(strings.Join(c.theirs, " "), func(t *testing.T) {
			theirs, ours := hop(t, env, c.theirs...), hop(t, env, c.ours...)
			// Each console sign-in gets its own token.
			token := regexp.MustCompile(`SigninToken=[^&\s]+`)
			theirs.stdout = token.ReplaceAllString(theirs.stdout, "SigninToken=T")
			ours.stdout = token.ReplaceAllString(ours.stdout, "SigninToken=T")
			if theirs.code != ours.code || theirs.stdout != ours.stdout || ours.code != 0 && theirs.stderr != ours.stderr {
				t.Errorf("aws-vault's spelling: exit %d, stdout %q, stderr %q\nhop's %v: exit %d, stdout %q, stderr %q", theirs.code, theirs.stdout, theirs.stderr, c.ours, ours.code, ours.stdout, ours.stderr)
			}
		})
	}

	instead := []struct {
		args []string
		says string
	}{
		{[]string{"exec", "--ec2-server", "requires3", "--", "true"}, "use --server"},
		{[]string{"exec", "requires3", "--ec2-server", "--", "true"}, "use --server"},
		{[]string{"exec", "requires3", "--lazy", "--", "true"}, "drop --lazy"},
		{[]string{"exec", "--redact", "requires3"}, "drop --redact"},
		{[]string{"exec", "requires3", "-j", "--server"}, "drop --server"},
		{[]string{"exec", "requires3", "-j", "--", "true"}, "drop --json"},
		{[]string{"--prompt", "terminal", "exec", "requires3", "--", "true"}, "drop --prompt"},
		{[]string{"exec", "--prompt=osascript", "requires3", "--", "true"}, "drop --prompt"},
		{[]string{"console", "requires3", "--path", "s3"}, "--service"},
		{[]string{"login", "requires3", "--stdout"}, "hop console"},
		{[]string{"login", "-s", "requires3"}, "hop console"},
		{[]string{"login", "requires3", "--path", "s3"}, "hop console"},
		{[]string{"rotate", "-n", "requires3"}, "drop -n"},
		{[]string{"remove", "--sessions-only", "requires3"}, "hop clear"},
		{[]string{"rm", "-s", "requires3"}, "hop clear"},
		{[]string{"add", "--add-config", "requires3"}, "drop --add-config"},
		{[]string{"list", "--file-dir", "/tmp"}, "HOP_FILE_DIR"},
	}
	for _, c := range instead {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := hop(t, env, c.args...)
			if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, c.says) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and stderr saying %q", r.code, r.stdout, r.stderr, c.says)
			}
		})
	}

	t.Run("export --format ini", func(t *testing.T) {
		r := hop(t, env, "export", "requires3", "--format", "ini")
		key := hop(t, env, "export", "requires3", "--format", "env")
		id := strings.TrimSuffix(strings.TrimPrefix(strings.SplitN(key.stdout, "\n", 2)[0], "export AWS_ACCESS_KEY_ID='"), "'")
		if r.code != 0 || !strings.HasPrefix(r.stdout, "[profile requires3]\naws_access_key_id = "+id+"\n") || !strings.Contains(r.stdout, "\nregion = "+testenv.Region+"\n") {
			t.Errorf("exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("list", func(t *testing.T) {
		for flag, want := range map[string]string{"--profiles": "example\nrequires3\n", "--credentials": "", "--sessions": "example until "} {
			r := hop(t, env, "list", flag)
			if r.code != 0 || !strings.HasPrefix(r.stdout, want) || (want == "" && r.stdout != "") {
				t.Errorf("list %s: exit %d, stdout %q, stderr %s", flag, r.code, r.stdout, r.stderr)
			}
		}
	})
	t.Run("login on a profile without SSO points at the console", func(t *testing.T) {
		e.AppendConfig(t, "[profile keyed]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n")
		r := hop(t, env, "login", "keyed")
		if r.code == 0 || !strings.Contains(r.stderr, "hop console keyed") {
			t.Errorf("exit %d, stderr %s", r.code, r.stderr)
		}
	})
	t.Run("a nested exec into another profile says so", func(t *testing.T) {
		inner := append(env[:len(env):len(env)], "HOP_PROFILE=example")
		// The first is served by the front from the cache, the second
		// (a flag) by hop-core.
		for _, args := range [][]string{{"exec", "requires3", "--", "printenv", "HOP_PROFILE"}, {"exec", "requires3", "--region", testenv.Region, "--", "printenv", "HOP_PROFILE"}} {
			r := hop(t, inner, args...)
			want := "hop: inside profile example's hop exec: the command gets profile requires3's credentials instead\n"
			if r.code != 0 || r.stdout != "requires3\n" || r.stderr != want {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want stderr %q", args, r.code, r.stdout, r.stderr, want)
			}
			same := hop(t, append(env[:len(env):len(env)], "HOP_PROFILE=requires3"), args...)
			if same.code != 0 || same.stderr != "" {
				t.Errorf("%v again in the same profile: exit %d, stderr %q", args, same.code, same.stderr)
			}
		}
	})
}
