//go:build e2e && linux

package bench

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// BenchmarkPicker times `hop exec` with no profile on a terminal, on 10,000
// profiles, from the start to the picker's first draw: the front hands it
// to hop-core, which reads the config, resolves every profile and draws.
func BenchmarkPicker(b *testing.B) {
	const n = 10000
	hop := hopBinary(b)
	configPath, credentialsPath, err := WriteConfig(b.TempDir(), n)
	if err != nil {
		b.Fatal(err)
	}
	env := []string{"HOME=" + b.TempDir(), "PATH=" + os.Getenv("PATH"), "AWS_CONFIG_FILE=" + configPath,
		"AWS_SHARED_CREDENTIALS_FILE=" + credentialsPath, "TERM=xterm", "XDG_STATE_HOME=" + b.TempDir()}
	cmd := Command{Path: hop, Args: []string{"exec", "--", "true"}, Env: env}
	want := fmt.Sprintf("%d/%d", n, n)
	var draws []time.Duration
	for b.Loop() {
		// Ctrl-C leaves the picker: nothing runs.
		took, err := FirstDraw(cmd, want, "\x03")
		if err != nil {
			b.Fatal(err)
		}
		draws = append(draws, took)
	}
	med := Median(draws)
	b.ReportMetric(float64(med)/float64(ms), "first-draw-ms")
	table.Add(Row{
		Measure: fmt.Sprintf("the picker (`hop exec` with no profile on a terminal), %d profiles, to the first draw", n),
		Figure:  Millis(med),
		Cost:    fmt.Sprintf("n=%d", len(draws)),
		Target:  "< 100 ms",
		Verdict: Within(med, 100*ms),
	})
}
