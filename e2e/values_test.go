//go:build e2e && unix

package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// evalInFish runs `eval (hop export --format fish PROFILE)` in a real fish,
// in dir, with hop first in PATH, and returns hop's stderr as fish showed it.
func evalInFish(t *testing.T, env []string, dir, profile string) string {
	t.Helper()
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Fatalf("fish is needed for this test: %v", err)
	}
	cmd := exec.CommandContext(t.Context(), fish, "--no-config", "-c", "eval (hop export --format fish "+profile+")")
	cmd.Dir = dir
	cmd.Env = setenv(env, "PATH="+filepath.Dir(hopBin)+":"+getenv(env, "PATH"), "XDG_CONFIG_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir())
	out, _ := cmd.CombinedOutput()
	return string(out)
}

// TestCredentialsWithControlsAreRefused: credentials holding a NUL or
// another control character, from a credential_process helper, Identity
// Center, STS, the environment or a container endpoint, are refused where
// they enter: hop names the profile and the source, never the value,
// prints nothing for a shell, starts no child and caches nothing. With a
// NUL, fish's `eval (hop export --format fish P)` once ran the code that
// followed it.
func TestCredentialsWithControlsAreRefused(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	dir := t.TempDir()
	pwned := filepath.Join(dir, "pwned")
	// The session token's NUL cuts it, and its closing quote with it.
	nulSecret, nulToken := "a\x00", "; touch "+pwned+"; #\x00"
	check := func(t *testing.T, r result, wants ...string) {
		t.Helper()
		last := failed(t, r, wants...)
		if r.stdout != "" {
			t.Errorf("hop printed %q for the shell", r.stdout)
		}
		if strings.Contains(last, "touch") || strings.Contains(last, "\x00") {
			t.Errorf("the message repeats a value: %q", last)
		}
	}
	noPwned := func(t *testing.T) {
		t.Helper()
		if ran(pwned) {
			t.Fatal("a credential value ran as code in fish")
		}
	}

	t.Run("credential_process", func(t *testing.T) {
		doc := fmt.Sprintf(`{"Version":1,"AccessKeyId":"AKIAHELPERKEY","SecretAccessKey":"a\u0000","SessionToken":"; touch %s; #\u0000","Expiration":"2099-01-01T00:00:00Z"}`, pwned)
		helper := writeScript(t, filepath.Join(dir, "nul-helper"), "cat <<'EOF'\n"+doc+"\nEOF\n")
		e.AppendConfig(t, "[profile nulhelper]\ncredential_process = "+helper+"\n")
		shown := evalInFish(t, env, dir, "nulhelper")
		noPwned(t)
		for _, want := range []string{"profile nulhelper", `credential_process "` + helper + `"`, "secret access key has a control"} {
			if !strings.Contains(shown, want) {
				t.Errorf("fish showed %q; want it to say %q", shown, want)
			}
		}
		child := filepath.Join(dir, "child")
		check(t, hop(t, env, "exec", "nulhelper", "--", "touch", child), "profile nulhelper", "credential_process")
		if ran(child) {
			t.Error("the child ran")
		}
	})

	t.Run("Identity Center", func(t *testing.T) {
		e.IDC.Grant(testenv.AccountID, testenv.PermissionSet, idc.Credentials{AccessKeyID: e.Assumer.AccessKeyID, SecretAccessKey: nulSecret, SessionToken: nulToken})
		shown := evalInFish(t, env, dir, "example")
		noPwned(t)
		for _, want := range []string{"profile example", "Identity Center's GetRoleCredentials"} {
			if !strings.Contains(shown, want) {
				t.Errorf("fish showed %q; want it to say %q", shown, want)
			}
		}
		check(t, hop(t, env, "export", "--format", "env", "requires3"), "profile example", "Identity Center")
		// Nothing was cached: with the grant mended, the next run asks
		// Identity Center again and works.
		e.IDC.Grant(testenv.AccountID, testenv.PermissionSet, idc.Credentials{AccessKeyID: e.Assumer.AccessKeyID, SecretAccessKey: e.Assumer.SecretAccessKey})
		before := e.IDC.Count(idc.OpGetRoleCredentials)
		if r := hop(t, env, "exec", "example", "--", "true"); r.code != 0 {
			t.Fatalf("with the grant mended: exit %d, %s", r.code, r.stderr)
		}
		if e.IDC.Count(idc.OpGetRoleCredentials) != before+1 {
			t.Error("hop used a cached session: the refused credentials were stored")
		}
	})

	t.Run("STS AssumeRole", func(t *testing.T) {
		// XML cannot carry a NUL; a newline and a C1 control it can.
		sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprintf(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials>`+
				`<AccessKeyId>ASIAHOSTILE000000000</AccessKeyId><SecretAccessKey>a&#10;b</SecretAccessKey><SessionToken>t&#x85;</SessionToken>`+
				`<Expiration>%s</Expiration></Credentials><AssumedRoleUser><Arn>%s</Arn><AssumedRoleId>X:y</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`,
				time.Now().Add(time.Hour).UTC().Format(time.RFC3339), testenv.RoleARN)
		}))
		t.Cleanup(sts.Close)
		check(t, hop(t, setenv(env, "AWS_ENDPOINT_URL_STS="+sts.URL), "export", "--format", "fish", "requires3"),
			"profile requires3", "STS AssumeRole for "+testenv.RoleARN, "secret access key has a control")
	})

	t.Run("environment", func(t *testing.T) {
		e.AppendConfig(t, "[profile fromenv]\nrole_arn = "+testenv.RoleARN+"\ncredential_source = Environment\n")
		check(t, hop(t, setenv(env, "AWS_ACCESS_KEY_ID="+e.Assumer.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+e.Assumer.SecretAccessKey+"\x1b[2J"), "export", "fromenv"),
			"profile fromenv", "the environment", "secret access key has a control")
	})

	t.Run("container endpoint", func(t *testing.T) {
		ecs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"AccessKeyId":"ASIAHOSTILE000000000","SecretAccessKey":"a\u0000","Token":"; touch %s; #\u0000","Expiration":%q}`,
				pwned, time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
		}))
		t.Cleanup(ecs.Close)
		e.AppendConfig(t, "[profile fromecs]\nrole_arn = "+testenv.RoleARN+"\ncredential_source = EcsContainer\n")
		check(t, hop(t, setenv(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI="+ecs.URL), "export", "fromecs"),
			"profile fromecs", "the container credential endpoint", "secret access key has a control")
	})
	if _, err := os.Stat(pwned); err == nil {
		t.Error("a credential value ran as code")
	}
}
