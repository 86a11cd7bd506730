//go:build e2e && unix

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

// TestExportQuotingInRealShells evaluates each format in the shell it is
// for and checks every value arrives verbatim, with nothing executed.
func TestExportQuotingInRealShells(t *testing.T) {
	e := testenv.Start(t)
	dir := t.TempDir()
	marker := filepath.Join(dir, "pwned")
	script, values := hostileProcess(t, dir, marker)
	profile := "evil'$(touch " + marker + ")`x`"
	// Quoted, as the AWS CLI splits a header like a shell: bare, its
	// unclosed ' would make the section no profile at all.
	e.AppendConfig(t, "[profile \""+profile+"\"]\ncredential_process = "+script+"\n")
	values["HOP_PROFILE"] = profile

	names := []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "HOP_PROFILE"}
	shells := []struct {
		format, shell, print string
	}{
		{"env", "sh", `printf '%s\0' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$HOP_PROFILE"`},
		{"env", "bash", `printf '%s\0' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$HOP_PROFILE"`},
		{"env", "zsh", `printf '%s\0' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$HOP_PROFILE"`},
		{"env-no-export", "bash", `printf '%s\0' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$HOP_PROFILE"`},
		{"fish", "fish", `printf '%s\0' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$HOP_PROFILE"`},
	}
	for _, sh := range shells {
		t.Run(sh.format+"/"+sh.shell, func(t *testing.T) {
			if _, err := exec.LookPath(sh.shell); err != nil {
				t.Fatalf("%s is not installed (.ci/run installs it)", sh.shell)
			}
			r := hop(t, e.Environ(), "export", "--format", sh.format, profile)
			if r.code != 0 {
				t.Fatalf("hop export: %s", r.stderr)
			}
			exportFile := filepath.Join(dir, "export."+sh.format)
			if err := os.WriteFile(exportFile, []byte(r.stdout), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(sh.shell, "-c", "source "+exportFile+" 2>/dev/null || . "+exportFile+"; "+sh.print)
			if sh.shell == "sh" {
				cmd = exec.Command("sh", "-c", ". "+exportFile+"; "+sh.print)
			}
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s evaluating the export: %v", sh.shell, err)
			}
			got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
			for i, name := range names {
				if i >= len(got) || got[i] != values[name] {
					t.Errorf("%s: %s = %q, want %q", sh.shell, name, at(got, i), values[name])
				}
			}
			if _, err := os.Stat(marker); err == nil {
				t.Fatal("a hostile value ran code")
			}
		})
	}
	t.Run("json and process", func(t *testing.T) {
		var vars map[string]string
		if err := json.Unmarshal([]byte(hop(t, e.Environ(), "export", "-f", "json", profile).stdout), &vars); err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			if vars[name] != values[name] {
				t.Errorf("json %s = %q", name, vars[name])
			}
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(hop(t, e.Environ(), "export", "-f", "process", profile).stdout), &doc); err != nil {
			t.Fatal(err)
		}
		if doc["Version"] != float64(1) || doc["SecretAccessKey"] != values["AWS_SECRET_ACCESS_KEY"] || doc["Expiration"] != "2099-01-01T00:00:00Z" {
			t.Errorf("process document %v", doc)
		}
	})
}

// TestExportOrder: the CLI's variables in `aws configure export-credentials`
// order, then the rest of what exec's child gets.
func TestExportOrder(t *testing.T) {
	e := testenv.Start(t)
	r := hop(t, e.Environ(), "export", "requires3")
	if r.code != 0 {
		t.Fatalf("hop export: %s", r.stderr)
	}
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		name, _, _ := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		names = append(names, name)
	}
	want := "AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_SESSION_EXPIRATION AWS_REGION AWS_DEFAULT_REGION HOP_REGION HOP_PROFILE HOP_ROLE_ARN HOP_ACCOUNT_ID HOP_EXPIRES_AT AWS_VAULT"
	if strings.Join(names, " ") != want {
		t.Errorf("variables %v, want %s", names, want)
	}
	if strings.Contains(r.stderr, "AKIA") || strings.Contains(r.stderr, "ASIA") {
		t.Error("stderr shows a key")
	}
}

// TestCredentialProcessInterop: the AWS CLI runs hop as its
// credential_process, and hop serves the second call from its cache. With
// no terminal hop does not sign in itself: hop login comes first.
func TestCredentialProcessInterop(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, "[profile via-hop]\ncredential_process = "+hopBin+" export --format process requires3\nregion = "+testenv.Region+"\n")
	if r := hop(t, e.Environ(), "login", "requires3"); r.code != 0 {
		t.Fatalf("hop login: %s", r.stderr)
	}
	for i := range 2 {
		e.ResetCounts()
		cli := exec.Command("aws", "s3api", "list-buckets", "--profile", "via-hop", "--query", "Buckets[].Name", "--output", "text")
		cli.Env = e.Environ()
		out, err := cli.CombinedOutput()
		if err != nil || !strings.Contains(string(out), testenv.Bucket) {
			t.Fatalf("run %d: aws --profile via-hop: %v\n%s", i, err, out)
		}
		if i == 1 && (e.IDC.Total() != 0 || e.Moto.Count("sts:AssumeRole") != 0) {
			t.Errorf("second run re-fetched credentials: idc %v, moto %v", e.IDC.Counts(), e.Moto.Counts())
		}
	}
}

// TestExportAsCredentialProcessWithoutTerminal: run by the AWS CLI with
// no terminal and no sign-in, hop fails at once saying what to run, and
// starts no sign-in nobody could see.
func TestExportAsCredentialProcessWithoutTerminal(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, "[profile via-hop]\ncredential_process = "+hopBin+" export --format process requires3\nregion = "+testenv.Region+"\n")
	// setsid: no controlling terminal, as under a service or an IDE.
	cli := exec.Command("setsid", "aws", "sts", "get-caller-identity", "--profile", "via-hop")
	cli.Env = e.Environ()
	out, err := cli.CombinedOutput()
	if err == nil {
		t.Fatalf("aws succeeded without a sign-in:\n%s", out)
	}
	if !strings.Contains(string(out), "hop login requires3") {
		t.Errorf("the AWS CLI's error does not say to run 'hop login requires3':\n%s", out)
	}
	if n := e.IDC.Count(idc.OpStartDeviceAuthorization) + e.IDC.Count(idc.OpAuthorize) + e.IDC.Count(idc.OpRegisterClient); n != 0 {
		t.Errorf("hop started a sign-in with no terminal: %v", e.IDC.Counts())
	}

	// Signed in, the same line works.
	if r := hop(t, e.Environ(), "login", "requires3"); r.code != 0 {
		t.Fatalf("hop login: %s", r.stderr)
	}
	cli = exec.Command("setsid", "aws", "sts", "get-caller-identity", "--profile", "via-hop")
	cli.Env = e.Environ()
	if out, err := cli.CombinedOutput(); err != nil || !strings.Contains(string(out), testenv.RoleName) {
		t.Errorf("after hop login: %v\n%s", err, out)
	}
}

// TestExportGivesWhatExecGives: the variables export prints are the ones
// exec's child gets, region included, so the AWS CLI works after an eval
// with no region of its own.
func TestExportGivesWhatExecGives(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	for _, kv := range env {
		if strings.HasPrefix(kv, "AWS_REGION=") || strings.HasPrefix(kv, "AWS_DEFAULT_REGION=") {
			t.Fatalf("the test environment sets %s", kv)
		}
	}
	cmd := exec.Command("bash", "-c", `set -e; eval "$("$HOP" export requires3)"; aws s3api list-buckets --query 'Buckets[].Name' --output text`)
	cmd.Env = append(env, "HOP="+hopBin)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), testenv.Bucket) {
		t.Fatalf("eval \"$(hop export requires3)\"; aws s3api list-buckets: %v\n%s", err, out)
	}

	for _, region := range []string{"", "eu-west-3"} {
		args := []string{"requires3"}
		if region != "" {
			args = append(args, "--region", region)
		}
		child := childEnv(t, hop(t, env, append(append([]string{"exec"}, args...), "--", "env", "-0")...))
		r := hop(t, env, append([]string{"export", "--format", "json"}, args...)...)
		var exported map[string]string
		if err := json.Unmarshal([]byte(r.stdout), &exported); err != nil {
			t.Fatalf("export --format json: %v\n%s", err, r.stderr)
		}
		if region != "" && exported["AWS_REGION"] != region {
			t.Errorf("--region %s: AWS_REGION=%q", region, exported["AWS_REGION"])
		}
		for name, v := range child {
			if !strings.HasPrefix(name, "AWS_") && !strings.HasPrefix(name, "HOP_") || strings.HasPrefix(name, "AWS_ENDPOINT_URL") || name == "AWS_CONFIG_FILE" || name == "AWS_SHARED_CREDENTIALS_FILE" || name == "AWS_EC2_METADATA_DISABLED" || name == "HOP_BACKEND" || name == "HOP_FILE_DIR" || name == "HOP_NO_BROWSER" {
				continue
			}
			if exported[name] != v {
				t.Errorf("region %q: the child gets %s=%q, export prints %q", region, name, v, exported[name])
			}
		}
		if exported["AWS_SESSION_EXPIRATION"] == "" || exported["AWS_DEFAULT_REGION"] == "" {
			t.Errorf("export prints %v", exported)
		}
	}
}

// hostileProcess writes a credential_process whose values would run code
// if an export format quoted them badly. They are printable: hop refuses a
// control character, a newline included, where credentials enter
// (TestCredentialsWithControlsAreRefused).
func hostileProcess(t *testing.T, dir, marker string) (script string, values map[string]string) {
	t.Helper()
	values = map[string]string{
		"AWS_ACCESS_KEY_ID":     "AKIA'$(touch " + marker + ")'`touch " + marker + "`",
		"AWS_SECRET_ACCESS_KEY": "s\"e$HOME\\n\\\\c'r\"e;t;touch " + marker + ";#",
		"AWS_SESSION_TOKEN":     "tok%s%%{}$(id)`'\"\\",
	}
	doc, _ := json.Marshal(map[string]any{
		"Version": 1, "AccessKeyId": values["AWS_ACCESS_KEY_ID"], "SecretAccessKey": values["AWS_SECRET_ACCESS_KEY"],
		"SessionToken": values["AWS_SESSION_TOKEN"], "Expiration": "2099-01-01T00:00:00Z",
	})
	script = filepath.Join(dir, "hostile.sh")
	data := fmt.Sprintf("#!/bin/sh\ncat <<'JSON'\n%s\nJSON\n", doc)
	if err := os.WriteFile(script, []byte(data), 0o700); err != nil {
		t.Fatal(err)
	}
	return script, values
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "<missing>"
}
