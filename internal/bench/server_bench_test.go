//go:build e2e

package bench

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// BenchmarkServer times a warm request to `hop exec --server`'s endpoint,
// as an SDK in the child makes it (one kept-alive connection), against the
// same request to a bare Go handler on loopback: the least any local
// endpoint costs.
func BenchmarkServer(b *testing.B) {
	s := newScenario(b)
	cmd := exec.Command(s.hop, "exec", "--server", deployProfile, "--", "sh", "-c",
		`echo "$AWS_CONTAINER_CREDENTIALS_FULL_URI $AWS_CONTAINER_AUTHORIZATION_TOKEN"; exec cat >/dev/null`)
	cmd.Env = s.environ("file")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close() // the child ends, and hop with it
	line, err := bufio.NewReader(stdout).ReadString('\n')
	uri, token, ok := strings.Cut(strings.TrimSpace(line), " ")
	if err != nil || !ok {
		b.Fatalf("the child printed %q (%v), not the endpoint", line, err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	bare := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"AccessKeyId":"AKID"}`)
	})}
	go bare.Serve(ln)
	defer bare.Close()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	get := func(url string) time.Duration {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", token)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		took := time.Since(start)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "AccessKeyId") {
			b.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
		}
		return took
	}
	get(uri) // the connection, and any refresh, before timing
	get("http://" + ln.Addr().String() + "/")
	var hop, base []time.Duration
	for b.Loop() {
		hop = append(hop, get(uri))
		base = append(base, get("http://"+ln.Addr().String()+"/"))
	}
	b.ReportMetric(float64(Median(hop))/float64(time.Microsecond), "request-µs")
	limit := time.Millisecond
	table.Add(Row{
		Measure:  "warm request to `hop exec --server deploy`'s endpoint (kept-alive connection, as an SDK makes it)",
		Figure:   Millis(Median(hop)),
		Baseline: "bare Go handler on loopback " + Millis(Median(base)),
		Cost:     Millis(Median(hop)-Median(base)) + " over it",
		Target:   "well under " + Millis(limit),
		Verdict:  Within(Median(hop), limit),
	})
}

// BenchmarkRenew times what a hop shell's prompt hook runs once per expiry
// when another hop process has already renewed: `hop renew --hook` reading
// the kernel keyring (a hop shell has no file keyring passphrase).
func BenchmarkRenew(b *testing.B) {
	s := newScenario(b)
	s.useKeyctl(b, deployProfile)
	s.exec(b, "keyctl", deployProfile, "true")
	renew := Command{Path: s.hop, Args: []string{"renew", "--hook", "--shell", "bash", deployProfile}, Env: s.environ("keyctl")}
	p := sample(b, renew, baseline(b))
	row := PairRow("warm `hop renew --hook --shell bash deploy`, keyctl (a hop shell's renewal: once per expiry, never on an ordinary prompt)", "true", p)
	table.Add(row)
}
