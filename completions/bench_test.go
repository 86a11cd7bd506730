//go:build e2e

package completions

import (
	"bytes"
	"fmt"
	"os/exec"
	"testing"

	"github.com/hop-cli/hop/internal/bench"
	"github.com/hop-cli/hop/internal/testenv"
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
// hop process answering `hop exec <TAB>` as bash's `complete -C` runs it,
// and as zsh's script runs it, with each profile's description, which
// costs a full parse of the config.
func BenchmarkCompletionProcess(b *testing.B) {
	hop := testenv.Hop(b)
	for _, shell := range []string{"bash", "zsh"} {
		for _, n := range profileCounts {
			b.Run(fmt.Sprintf("shell=%s/profiles=%d", shell, n), func(b *testing.B) {
				configPath, credentialsPath := writeLargeConfig(b, n)
				env := []string{
					"HOME=" + b.TempDir(),
					"AWS_CONFIG_FILE=" + configPath,
					"AWS_SHARED_CREDENTIALS_FILE=" + credentialsPath,
					"COMP_LINE=hop exec ",
					"COMP_POINT=9",
					"HOP_COMPLETE=" + shell,
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
					answers, _, _ := bytes.Cut(out.Bytes(), []byte("\n\n"))
					if got := bytes.Count(bytes.TrimSuffix(answers, []byte("\n")), []byte("\n")) + 1; got != n {
						b.Fatalf("hop printed %d candidates, want %d", got, n)
					}
				}
				reportMillis(b)
			})
		}
	}
}

func reportMillis(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}

// writeLargeConfig writes the benchmark's generated config of n profiles.
func writeLargeConfig(tb testing.TB, n int) (configPath, credentialsPath string) {
	tb.Helper()
	configPath, credentialsPath, err := bench.WriteConfig(tb.TempDir(), n)
	if err != nil {
		tb.Fatal(err)
	}
	return configPath, credentialsPath
}
