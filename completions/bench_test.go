package completions

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// profileCounts are the config sizes the benchmarks cover; the budget is
// 50 ms for `hop exec <TAB>` at 10,000 profiles, growing linearly.
var profileCounts = []int{100, 1000, 10000}

// BenchmarkProfileNames measures listing names in process, from a config
// shaped like a large organisation's: SSO profiles, role-chained profiles,
// sso-session and services sections, and a credentials file.
func BenchmarkProfileNames(b *testing.B) {
	for _, n := range profileCounts {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			configPath, credentialsPath := writeLargeConfig(b, n)
			for b.Loop() {
				names, err := ProfileNames(configPath, credentialsPath)
				if err != nil {
					b.Fatal(err)
				}
				if len(names) != n {
					b.Fatalf("got %d names, want %d", len(names), n)
				}
			}
			reportMillis(b)
		})
	}
}

// BenchmarkCompletionProcess measures what the user waits for: the whole
// hop process answering `hop exec <TAB>` as bash's `complete -C` runs it.
func BenchmarkCompletionProcess(b *testing.B) {
	hop := hopBinary(b)
	for _, n := range profileCounts {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			configPath, credentialsPath := writeLargeConfig(b, n)
			env := []string{
				"HOME=" + b.TempDir(),
				"AWS_CONFIG_FILE=" + configPath,
				"AWS_SHARED_CREDENTIALS_FILE=" + credentialsPath,
				"COMP_LINE=hop exec ",
				"COMP_POINT=9",
			}
			var out bytes.Buffer
			for b.Loop() {
				out.Reset()
				cmd := exec.Command(hop, "hop", "", "exec")
				cmd.Env = env
				cmd.Stdout = &out
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
				if got := bytes.Count(out.Bytes(), []byte("\n")); got != n {
					b.Fatalf("hop printed %d candidates, want %d", got, n)
				}
			}
			reportMillis(b)
		})
	}
}

func reportMillis(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}

// writeLargeConfig writes n profiles: most in the config, a tenth in the
// credentials file, which is how static keys usually sit beside SSO.
func writeLargeConfig(tb testing.TB, n int) (configPath, credentialsPath string) {
	tb.Helper()
	var config, credentials bytes.Buffer
	config.WriteString("[default]\nregion = eu-west-1\n\n")
	for s := range 5 {
		fmt.Fprintf(&config, "[sso-session org-%d]\nsso_start_url = https://org-%d.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n\n", s, s)
	}
	config.WriteString("[services local]\ns3 =\n  endpoint_url = http://127.0.0.1:5000\n\n")
	for i := 1; i < n; i++ {
		switch {
		case i%10 == 0:
			fmt.Fprintf(&credentials, "[static-%d]\naws_access_key_id = AKIAEXAMPLE%09d\naws_secret_access_key = not-a-real-secret\n\n", i, i)
		case i%3 == 0:
			fmt.Fprintf(&config, "# chained through the SSO profile before it\n[profile team-%d-deploy]\nrole_arn = arn:aws:iam::%012d:role/deploy\nsource_profile = team-%d-sso\nregion = us-east-1\n\n", i, i, i-1)
		default:
			fmt.Fprintf(&config, "[profile team-%d-sso]\nsso_session = org-%d\nsso_account_id = %012d\nsso_role_name = Developer\nregion = eu-west-1\noutput = json\n\n", i, i%5, i)
		}
	}
	dir := tb.TempDir()
	configPath = filepath.Join(dir, "config")
	credentialsPath = filepath.Join(dir, "credentials")
	for path, data := range map[string][]byte{configPath: config.Bytes(), credentialsPath: credentials.Bytes()} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return configPath, credentialsPath
}
