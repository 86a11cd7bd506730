//go:build e2e

package bench

// The benchmarks behind `make bench`. Each times hop's whole process against
// a baseline, in turns (one pair per b.Loop iteration, so -benchtime sets
// the sample count), adds a row to the table TestMain prints, and reports
// its medians as metrics for benchstat.

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/front"
)

const ms = time.Millisecond

// baseline is bare `true`: the cost of starting any program at all.
func baseline(tb testing.TB) Command {
	tb.Helper()
	path, err := exec.LookPath("true")
	if err != nil {
		tb.Fatal(err)
	}
	return Command{Path: path}
}

// sample takes one pair per b.Loop iteration.
func sample(b *testing.B, a, base Command) Pair {
	b.Helper()
	var p Pair
	for b.Loop() {
		if err := p.Next(a, base); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(Median(p.A))/float64(ms), "hop-ms")
	b.ReportMetric(float64(p.Overhead())/float64(ms), "over-baseline-ms")
	b.ReportMetric(float64(Median(p.FaultsA)), "hop-faults")
	return p
}

// floors holds BenchmarkGoFloor's samples, by name, for the rows that
// compare hop with them.
var floors = map[string]Pair{}

// aboveFloor says how far got is above floor's figure, when BenchmarkGoFloor
// ran: figure picks the median or the overhead over true.
func aboveFloor(name string, got time.Duration, figure func(Pair) time.Duration) string {
	p, ok := floors[name]
	if !ok {
		return ""
	}
	return "; " + Millis(got-figure(p)) + " above the Go floor"
}

func overhead(p Pair) time.Duration { return p.Overhead() }
func median(p Pair) time.Duration   { return Median(p.A) }

// BenchmarkGoFloor times the least any Go CLI can cost on this machine,
// against true: a Go program that does nothing (the floor for `hop init`),
// and one that only execve's true (the floor for a warm `hop exec P --
// true`, which runs true after hop).
func BenchmarkGoFloor(b *testing.B) {
	for _, floor := range []struct{ name, measure, main string }{
		{"empty", "empty Go program (the floor for any Go CLI)", "func main() {}"},
		{"exec", "Go program that only execve's true (the floor for a warm exec)",
			"import \"syscall\"\n\nfunc main() { syscall.Exec(\"" + baseline(b).Path + "\", []string{\"true\"}, nil) }"},
	} {
		b.Run(floor.name, func(b *testing.B) {
			dir := b.TempDir()
			src := "package main\n\n" + floor.main + "\n"
			if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o600); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module floor\n\ngo 1.26\n"), 0o600); err != nil {
				b.Fatal(err)
			}
			cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", "floor", ".")
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("building the %s floor: %v\n%s", floor.name, err, out)
			}
			p := sample(b, Command{Path: filepath.Join(dir, "floor")}, baseline(b))
			floors[floor.name] = p
			table.Add(PairRow(floor.measure, "true", p))
		})
	}
}

// BenchmarkExec covers `hop exec` on the SSO -> role -> role chain: cold,
// then warm with each backend.
func BenchmarkExec(b *testing.B) {
	s := newScenario(b)
	hopExec := func(backend string) Command {
		return Command{Path: s.hop, Args: []string{"exec", deployProfile, "--", "true"}, Env: s.environ(backend)}
	}

	b.Run("cold", func(b *testing.B) {
		var times []time.Duration
		var summary string
		for b.Loop() {
			s.forget(b)
			s.ResetCounts()
			took, err := hopExec("file").Run()
			if err != nil {
				b.Fatal(err)
			}
			times = append(times, took.Wall)
			if summary, err = coldRequests(s); err != nil {
				b.Fatal(err)
			}
		}
		table.Add(Row{
			Measure:  "cold `hop exec deploy -- true`: requests for SSO → role → role",
			Figure:   fmt.Sprintf("%d requests", s.Calls()),
			Baseline: "warm: 0 requests",
			Cost:     Millis(Median(times)) + ", mostly the 1 s device-code poll",
			Target:   "each request once",
			Verdict:  "met",
		})
		table.Note("cold exec requests: %s", summary)
	})

	for _, backend := range []string{"keyctl", "file"} {
		b.Run("warm "+backend, func(b *testing.B) {
			fileDir := s.fileDir()
			if backend == "keyctl" {
				s.useKeyctl(b, deployProfile)
				fileDir = ""
			}
			s.exec(b, backend, deployProfile, "true")
			cmd := exec.Command(s.hop, "exec", deployProfile, "--", "true")
			cmd.Env = s.environ(backend)
			a, err := TraceCache(cmd, fileDir)
			if err != nil {
				b.Fatal(err)
			}
			table.Note("warm exec with %s looked up %d cache item(s) (%s), listed the keyring: %v; "+
				"the file backend decrypts once per item read", backend, len(a.Items), strings.Join(a.Items, ", "), a.Listed)

			p := sample(b, hopExec(backend), baseline(b))
			row := PairRow("warm `hop exec deploy -- true`, "+backend, "true", p)
			limit := 5 * ms
			if backend == "file" {
				limit = 10 * ms
			}
			row.Cost += aboveFloor("exec", p.Overhead(), overhead)
			row.Target = "≤ " + Millis(limit) + " over true"
			row.Verdict = Within(p.Overhead(), limit)
			table.Add(row)
		})
	}
}

// BenchmarkInit times `hop init zsh`, which a zsh start runs.
func BenchmarkInit(b *testing.B) {
	hop := Command{Path: hopBinary(b), Args: []string{"init", "zsh"}, Env: []string{"HOME=" + b.TempDir()}}
	p := sample(b, hop, baseline(b))
	row := PairRow("`hop init zsh`", "true", p)
	row.Cost += aboveFloor("empty", Median(p.A), median)
	row.Target, row.Verdict = "≤ 5 ms", Within(Median(p.A), 5*ms)
	table.Add(row)
}

var initLine = regexp.MustCompile(`^init (\S+) @[\d.]+ ms, ([\d.]+) ms clock`)

// initGroup sorts packages into the parts of hop's start-up worth naming.
func initGroup(pkg string) string {
	switch {
	case strings.HasPrefix(pkg, "github.com/aws/"):
		return "AWS SDK"
	case strings.HasPrefix(pkg, "github.com/99designs/keyring"), strings.HasPrefix(pkg, "github.com/godbus/"):
		return "keyring (D-Bus probe)"
	case strings.Contains(pkg, "."):
		return "other modules"
	}
	return "Go standard library"
}

// BenchmarkPackageInit sums GODEBUG=inittrace's clock per group over runs
// of `init zsh`: the package initialisation a start pays before main, for
// the front (every shell start and warm exec) and for hop-core (every other
// command, after the front).
func BenchmarkPackageInit(b *testing.B) {
	hop := hopBinary(b)
	for _, bin := range []struct{ name, path string }{
		{"the front, `hop`", hop},
		{"hop-core", filepath.Join(filepath.Dir(hop), filepath.FromSlash(front.CorePath))},
	} {
		b.Run(bin.name, func(b *testing.B) {
			groups := map[string][]time.Duration{}
			var totals []time.Duration
			for b.Loop() {
				sums, total := initTrace(b, bin.path)
				for g, d := range sums {
					groups[g] = append(groups[g], d)
				}
				totals = append(totals, total)
			}
			var parts []string
			for _, g := range slices.Sorted(maps.Keys(groups)) {
				parts = append(parts, g+" "+Millis(Median(groups[g])))
			}
			table.Add(Row{
				Measure:  "package initialisation before main: " + bin.name + " (inittrace)",
				Figure:   Millis(Median(totals)),
				Baseline: "empty Go program: runtime only",
				Cost:     strings.Join(parts, ", "),
			})
		})
	}
}

// initTrace runs bin's `init zsh` once and sums its inittrace clock by
// initGroup.
func initTrace(b *testing.B, bin string) (map[string]time.Duration, time.Duration) {
	cmd := exec.Command(bin, "init", "zsh")
	cmd.Env = []string{"HOME=" + b.TempDir(), "GODEBUG=inittrace=1"}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s init zsh: %v\n%s", bin, err, stderr.String())
	}
	sums := map[string]time.Duration{}
	var total time.Duration
	for _, line := range strings.Split(stderr.String(), "\n") {
		m := initLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		clock, _ := strconv.ParseFloat(m[2], 64)
		d := time.Duration(clock * float64(ms))
		sums[initGroup(m[1])] += d
		total += d
	}
	if total == 0 {
		b.Fatalf("GODEBUG=inittrace=1 printed no init lines:\n%s", stderr.String())
	}
	return sums, total
}

// BenchmarkZshStart times an interactive zsh start with and without hop's
// line in .zshrc.
func BenchmarkZshStart(b *testing.B) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		b.Skip("zsh not installed")
	}
	home := b.TempDir()
	start := func(rc string) Command {
		dir := b.TempDir()
		if err := os.WriteFile(filepath.Join(dir, ".zshrc"), []byte(rc), 0o600); err != nil {
			b.Fatal(err)
		}
		return Command{Path: zsh, Args: []string{"-i", "-c", "exit"},
			Env: []string{"HOME=" + home, "ZDOTDIR=" + dir, "PATH=" + os.Getenv("PATH"), "TERM=dumb"}}
	}
	p := sample(b, start(`eval "$(`+hopBinary(b)+` init zsh)"`+"\n"), start(""))
	table.Add(PairRow("`zsh -i -c exit` with `eval \"$(hop init zsh)\"` in .zshrc", "without", p))
}

var renderLine = regexp.MustCompile(`^BenchmarkRender/(\w+)/(inside|outside)_hop-\d+\s+\d+\s+([\d.]+) ns/op(?:\s+([\d.]+) forks/render)?`)

// BenchmarkPrompt reuses shellinit's render benchmark: one shell process
// renders the prompt 1,000 times inside a hop session and 1,000 times
// outside one, and a ptrace count gives the processes a render starts.
func BenchmarkPrompt(b *testing.B) {
	type figures struct{ inside, outside, forks []float64 }
	shells := map[string]*figures{"bash": {}, "zsh": {}}
	for b.Loop() {
		cmd := exec.Command("go", "test", "-count=1", "-run", "^$", "-bench", "BenchmarkRender/^(bash|zsh)$/", "-benchtime", "1000x", "./shellinit")
		cmd.Dir = filepath.Join("..", "..")
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("shellinit's render benchmark: %v\n%s", err, out)
		}
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			m := renderLine.FindStringSubmatch(sc.Text())
			if m == nil || shells[m[1]] == nil {
				continue
			}
			f := shells[m[1]]
			ns, _ := strconv.ParseFloat(m[3], 64)
			if m[2] == "outside" {
				f.outside = append(f.outside, ns)
				continue
			}
			f.inside = append(f.inside, ns)
			forks, _ := strconv.ParseFloat(m[4], 64)
			f.forks = append(f.forks, forks)
		}
	}
	for _, shell := range slices.Sorted(maps.Keys(shells)) {
		f := shells[shell]
		if len(f.inside) == 0 || len(f.outside) == 0 {
			b.Fatalf("shellinit's render benchmark printed no %s figures", shell)
		}
		inside := time.Duration(medianOf(f.inside))
		forks := slices.Max(f.forks)
		verdict := Within(inside, 200*time.Microsecond)
		if forks != 0 {
			verdict = "missed"
		}
		table.Add(Row{
			Measure:  "prompt render in " + shell + " (hook + prompt expansion, 1,000 renders)",
			Figure:   Millis(inside) + ", " + strconv.FormatFloat(forks, 'f', -1, 64) + " forks",
			Baseline: "outside a session " + Millis(time.Duration(medianOf(f.outside))),
			Target:   "≤ 0.2 ms, 0 forks",
			Verdict:  verdict,
		})
	}
}

func medianOf(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	return (s[(len(s)-1)/2] + s[len(s)/2]) / 2
}
