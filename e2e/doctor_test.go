//go:build e2e && unix

package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/internal/testenv"
)

// doctorResult is one line of hop doctor --json.
type doctorResult struct {
	Check, Status, Detail, Fix string
}

// runDoctor runs hop doctor --json with no terminal, returning its exit
// status and its results by check.
func runDoctor(t *testing.T, env []string) (int, map[string]doctorResult) {
	t.Helper()
	r := hopNoTTY(t, env, "doctor", "--json")
	var results []doctorResult
	if err := json.Unmarshal([]byte(r.stdout), &results); err != nil {
		t.Fatalf("hop doctor --json (exit %d): %v\nstdout %s\nstderr %s", r.code, err, r.stdout, r.stderr)
	}
	by := map[string]doctorResult{}
	for _, res := range results {
		// A check may say more than once: a problem is what counts.
		if by[res.Check].Status != "problem" {
			by[res.Check] = res
		}
	}
	return r.code, by
}

// unsetenv is env without name.
func unsetenv(env []string, name string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// TestDoctorNamesEachFault plants one fault at a time in a world where
// everything works, and sees hop doctor name it, with what to run, and
// exit 1; the healthy world passes every check with exit 0.
func TestDoctorNamesEachFault(t *testing.T) {
	e := testenv.Start(t)
	// A bash user with the hook in ~/.bashrc and completions installed,
	// and hop (the front) first on PATH.
	rc := filepath.Join(e.Home, ".bashrc")
	const hooked = "# hop\neval \"$(hop init bash)\"\n"
	if err := os.WriteFile(rc, []byte(hooked), 0o600); err != nil {
		t.Fatal(err)
	}
	completion := filepath.Join(e.Home, ".local", "share", "bash-completion", "completions", "hop")
	if err := os.MkdirAll(filepath.Dir(completion), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(completion, []byte(hop(t, e.Environ(), "completions", "bash").stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	env := setenv(e.Environ(), "SHELL=/bin/bash", "PATH="+filepath.Dir(hopBin)+":"+os.Getenv("PATH"))
	if r := hop(t, env, "exec", "requires3", "--", "true"); r.code != 0 {
		t.Fatalf("signing in: %s", r.stderr)
	}

	t.Run("healthy", func(t *testing.T) {
		code, by := runDoctor(t, env)
		for _, check := range []string{"config", "keyring", "install", "shell hook", "completions", "clock", "sso token corp", "network settings"} {
			if by[check].Status != "ok" {
				t.Errorf("%s: %+v", check, by[check])
			}
		}
		if code != 0 {
			t.Errorf("exit %d, want 0: %+v", code, by)
		}
		if r := hopNoTTY(t, env, "doctor"); r.code != 0 || !strings.Contains(r.stdout, "\nok       clock: within ") {
			t.Errorf("hop doctor: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
	})

	faults := []struct {
		name  string
		plant func(t *testing.T) []string
		check string
		says  string
	}{
		{"a broken config line", func(t *testing.T) []string {
			broken := filepath.Join(t.TempDir(), "config")
			if err := os.WriteFile(broken, []byte(testenv.Config+"this is not a setting\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			return setenv(env, "AWS_CONFIG_FILE="+broken)
		}, "config", ":" + strconv.Itoa(strings.Count(testenv.Config, "\n")+1) + ": expected"},
		{"a wrong passphrase for the file keyring", func(t *testing.T) []string {
			return setenv(env, "HOP_FILE_PASSPHRASE=not-the-passphrase")
		}, "keyring", "keyring"},
		{"no passphrase for the file keyring, and no terminal", func(t *testing.T) []string {
			return unsetenv(env, "HOP_FILE_PASSPHRASE")
		}, "keyring", "HOP_FILE_PASSPHRASE"},
		{"hop on PATH without hop-core beside it", func(t *testing.T) []string {
			bin := filepath.Join(t.TempDir(), "bin")
			copyExecutable(t, hopBin, filepath.Join(bin, "hop"))
			return setenv(env, "PATH="+bin+":"+os.Getenv("PATH"))
		}, "install", "is not there"},
		{"no hook in the rc file", func(t *testing.T) []string {
			if err := os.WriteFile(rc, []byte("# eval \"$(hop init bash)\" (off)\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.WriteFile(rc, []byte(hooked), 0o600) })
			return env
		}, "shell hook", "hop init bash"},
		{"STS's clock 10 minutes off", func(t *testing.T) []string {
			sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Date", time.Now().Add(-10*time.Minute).UTC().Format(http.TimeFormat))
				http.Error(w, "<ErrorResponse><Error><Code>MissingAuthenticationToken</Code></Error></ErrorResponse>", http.StatusForbidden)
			}))
			t.Cleanup(sts.Close)
			return setenv(env, "AWS_ENDPOINT_URL_STS="+sts.URL)
		}, "clock", "ahead of STS's"},
		{"an endpoint variable that is no URL", func(t *testing.T) []string {
			return setenv(env, "AWS_ENDPOINT_URL_S3=s3.local")
		}, "network settings", "AWS_ENDPOINT_URL_S3=s3.local: not an http(s) URL"},
		{"an expired SSO token", func(t *testing.T) []string {
			cache := creds.TokenCacheFor(func(string) string { return e.Home })
			path := cache.Path(&config.SSOSettings{Session: testenv.SSOSession})
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var tok map[string]any
			if err := json.Unmarshal(data, &tok); err != nil {
				t.Fatal(err)
			}
			tok["expiresAt"] = time.Now().Add(-time.Hour).UTC().Format(creds.CLITime)
			delete(tok, "refreshToken")
			data, _ = json.Marshal(tok)
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Remove(path) })
			return env
		}, "sso token corp", "hop login --sso-session corp"},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			code, by := runDoctor(t, f.plant(t))
			got := by[f.check]
			if code != 1 || got.Status != "problem" || got.Fix == "" || !strings.Contains(got.Detail+" "+got.Fix, f.says) {
				t.Errorf("exit %d, %s: %+v; want exit 1 and a problem saying %q", code, f.check, got, f.says)
			}
		})
	}

	t.Run("the endpoint in effect is named", func(t *testing.T) {
		_, by := runDoctor(t, env)
		if got := by["network settings"]; got.Status != "ok" || !strings.Contains(got.Detail, "AWS_ENDPOINT_URL="+e.Moto.URL()) {
			t.Errorf("%+v", got)
		}
	})
	t.Run("a front without hop-core beside it says so", func(t *testing.T) {
		front := filepath.Join(t.TempDir(), "bin", "hop")
		copyExecutable(t, hopBin, front)
		r := runBin(t, front, env, "doctor")
		if r.code == 0 || !strings.Contains(r.stderr, "cannot start hop-core") || !strings.Contains(r.stderr, "make install") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
	})
}

// copyExecutable copies the program at from to a new file at to.
func copyExecutable(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o700); err != nil {
		t.Fatal(err)
	}
}

// TestDoctorChecksLegacySSOTokens: profiles of the legacy form (their own
// sso_start_url, no sso-session) have their token checked too, once per
// start URL, with the login that renews it.
func TestDoctorChecksLegacySSOTokens(t *testing.T) {
	e := testenv.Start(t)
	legacy := "https://legacy.example/start"
	e.AppendConfig(t, "\n[profile old]\nsso_start_url = "+legacy+"\nsso_region = "+testenv.SSORegion+
		"\nsso_account_id = "+testenv.AccountID+"\nsso_role_name = "+testenv.PermissionSet+"\n"+
		"\n[profile old-too]\nsso_start_url = "+legacy+"\nsso_region = "+testenv.SSORegion+
		"\nsso_account_id = "+testenv.AccountID+"\nsso_role_name = "+testenv.PermissionSet+"\n")
	env := e.Environ()
	check := "sso token " + legacy
	_, by := runDoctor(t, env)
	if got := by[check]; got.Status != "problem" || got.Fix != "hop login old" {
		t.Errorf("before a sign-in: %+v, want a problem fixed by 'hop login old'", got)
	}
	if r := hop(t, env, "login", "old-too"); r.code != 0 {
		t.Fatalf("hop login old-too: %s", r.stderr)
	}
	r := hopNoTTY(t, env, "doctor", "--json")
	if n := strings.Count(r.stdout, `"`+check+`"`); n != 1 {
		t.Errorf("%d results for %s, want one for both profiles:\n%s", n, check, r.stdout)
	}
	if _, by = runDoctor(t, env); by[check].Status != "ok" {
		t.Errorf("after a sign-in: %+v", by[check])
	}
}
