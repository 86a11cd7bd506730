//go:build e2e

package bench

// The benchmarks behind `make bench`. Each times hop's whole process against
// a baseline, in turns (one pair per b.Loop iteration, so -benchtime sets
// the sample count), adds a row to the table TestMain prints, and reports
// its medians as metrics for benchstat.

import (
	"bufio"
	"bytes"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
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

	"github.com/99designs/keyring"

	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/export"
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

func median(p Pair) time.Duration { return Median(p.A) }

// goFloors are the least any Go CLI can cost on this machine: a Go program
// that does nothing (the floor for `hop init`), and one that only
// execve's true (the floor for a warm `hop exec P -- true`, which runs
// true after hop, and for export and renew, held to the same floor).
//
// A warm exec must hand its child the environment it was given, so its
// floor passes the environment on, as every exec wrapper does; hop's rows
// give this floor the environment hop gets. The one that hands true an
// empty environment is timed too, and each warm exec row names the
// ratio over it from the two floors' rows.
var goFloors = []struct{ name, measure, main string }{
	{"empty", "empty Go program (the floor for any Go CLI)", "func main() {}"},
	{"exec-empty-env", "Go program that only execve's true, with an empty environment",
		"import \"syscall\"\n\nfunc main() { syscall.Exec(TRUE, []string{\"true\"}, nil) }"},
	{"exec", "Go program that only execve's true, passing its environment on (the floor for a warm exec)",
		"import (\n\t\"os\"\n\t\"syscall\"\n)\n\nfunc main() { syscall.Exec(TRUE, []string{\"true\"}, os.Environ()) }"},
}

// floorBins holds the floor programs built, by name.
var floorBins = map[string]string{}

// floorBinary builds the floor program name once.
func floorBinary(b *testing.B, name string) string {
	b.Helper()
	if path, ok := floorBins[name]; ok {
		return path
	}
	i := slices.IndexFunc(goFloors, func(f struct{ name, measure, main string }) bool { return f.name == name })
	dir, err := os.MkdirTemp("", "hop-bench-floor-")
	if err != nil {
		b.Fatal(err)
	}
	src := "package main\n\n" + strings.ReplaceAll(goFloors[i].main, "TRUE", strconv.Quote(baseline(b).Path)) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module floor\n\ngo 1.26\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", "floor", ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building the %s floor: %v\n%s", name, err, out)
	}
	floorBins[name] = filepath.Join(dir, "floor")
	return floorBins[name]
}

// BenchmarkGoFloor times the Go floors against true.
func BenchmarkGoFloor(b *testing.B) {
	for _, floor := range goFloors {
		b.Run(floor.name, func(b *testing.B) {
			p := sample(b, Command{Path: floorBinary(b, floor.name)}, baseline(b))
			floors[floor.name] = p
			table.Add(PairRow(floor.measure, "true", p))
		})
	}
}

// overFloor times hop, the floor program named floor and true in turns
// (one round per b.Loop iteration) and makes a row of hop's overhead over
// true as a multiple of the floor's, with the target limit. aside, when
// not nil, times in each round work of hop's that the comparison sets
// aside. It returns the samples too.
func overFloor(b *testing.B, measure string, hop Command, floor string, limit float64, aside func() time.Duration) (Row, Trio) {
	b.Helper()
	var t Trio
	// The floor passes on the environment hop gets. The exec floor's rows
	// also time the empty-environment one, in the same rounds.
	fl := Command{Path: floorBinary(b, floor), Env: hop.Env}
	var others []Command
	if floor == "exec" {
		others = append(others, Command{Path: floorBinary(b, "exec-empty-env"), Env: hop.Env})
	}
	for b.Loop() {
		if err := t.Next(hop, fl, baseline(b), others...); err != nil {
			b.Fatal(err)
		}
		if aside != nil {
			t.Aside = append(t.Aside, aside())
		}
	}
	m, lo, hi := t.OverFloor()
	b.ReportMetric(m, "over-floor-x")
	floorName := "the exec floor's"
	if floor == "empty" {
		floorName = "the empty Go program's"
	}
	over := Median(diffs(t.A, t.Base))
	row := Row{
		Measure:  measure,
		Figure:   Millis(Median(t.A)),
		Baseline: "true " + Millis(Median(t.Base)) + ", Go floor (" + floor + ") " + Millis(Median(t.Floor)),
		Cost: fmt.Sprintf("+%s over true; ×%.2f %s overhead (quartiles %.2f–%.2f, n=%d)%s",
			Millis(over), m, floorName, lo, hi, len(t.A), emptyEnvRatio(t)),
		Target:  fmt.Sprintf("≤ %.1f× %s overhead", limit, floorName),
		Verdict: "missed",
	}
	if m <= limit {
		row.Verdict = "met"
	}
	return row, t
}

// emptyEnvRatio names hop's overhead over true (less what the row sets
// aside) as a multiple of the empty-environment floor's, timed in the
// same rounds, for a row held to the exec floor.
func emptyEnvRatio(t Trio) string {
	if len(t.Others) == 0 {
		return ""
	}
	m, lo, hi := t.OverOther(0)
	return fmt.Sprintf("; ×%.2f the empty-environment floor's (quartiles %.2f–%.2f)", m, lo, hi)
}

func diffs(a, b []time.Duration) []time.Duration {
	d := make([]time.Duration, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	return d
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

	// The issue measured `hop exec requires3 -- true` (SSO, then a role);
	// deploy adds a second role. Each row is held to the target.
	for _, backend := range []string{"keyctl", "file"} {
		for _, profile := range []string{"requires3", deployProfile} {
			b.Run("warm "+backend+" "+profile, func(b *testing.B) {
				fileDir := s.fileDir()
				if backend == "keyctl" {
					s.useKeyctl(b, profile)
					fileDir = ""
				}
				s.exec(b, backend, profile, "true")
				cmd := exec.Command(s.hop, "exec", profile, "--", "true")
				cmd.Env = s.environ(backend)
				a, err := TraceCache(cmd, fileDir)
				if err != nil {
					b.Fatal(err)
				}
				table.Note("warm exec of %s with %s looked up %d cache item(s) (%s), listed the keyring: %v; "+
					"the file backend decrypts once per item read", profile, backend, len(a.Items), strings.Join(a.Items, ", "), a.Listed)

				limit := 1.3
				if backend == "file" {
					limit = 2
				}
				// The issue allows the file store's key derivation on top of
				// 2× the floor: the ratio sets it aside.
				var aside func() time.Duration
				if backend == "file" {
					aside = derivation(b, fileDir)
				}
				hopExec := Command{Path: s.hop, Args: []string{"exec", profile, "--", "true"}, Env: s.environ(backend)}
				row, t := overFloor(b, "warm `hop exec "+profile+" -- true`, "+backend, hopExec, "exec", limit, aside)
				if backend == "file" {
					row.Cost += fmt.Sprintf("; the PBES2 key derivation %s of it (in process, set aside in the ratio)", Millis(Median(t.Aside)))
					row.Target += ", the key derivation aside"
				}
				table.Add(row)
			})
		}
	}
}

// derivation returns a timer of the PBES2 key derivation (PBKDF2 with
// SHA-256) that reading one item of the file store in dir costs, in
// process: with the salt and iteration count its first item's header
// names.
func derivation(b *testing.B, dir string) func() time.Duration {
	b.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		b.Fatalf("no item in the file store %s: %v", dir, err)
	}
	data, err := os.ReadFile(filepath.Join(dir, entries[0].Name()))
	if err != nil {
		b.Fatal(err)
	}
	header, _, _ := strings.Cut(string(data), ".")
	raw, err := base64.RawURLEncoding.DecodeString(header)
	var h struct {
		P2C int    `json:"p2c"`
		P2S string `json:"p2s"`
		Alg string `json:"alg"`
	}
	if err == nil {
		err = json.Unmarshal(raw, &h)
	}
	if err != nil || h.P2C <= 0 {
		b.Fatalf("the file store's item %s has no PBES2 header: %v", entries[0].Name(), err)
	}
	salt, err := base64.RawURLEncoding.DecodeString(h.P2S)
	if err != nil {
		b.Fatal(err)
	}
	salt = append(append([]byte(h.Alg), 0), salt...)
	return func() time.Duration {
		start := time.Now()
		if _, err := pbkdf2.Key(sha256.New, "bench", salt, h.P2C, 16); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
}

// BenchmarkWarmServed times the commands the front serves from a warm
// cache besides exec, each against its Go floor, after checking with
// strace that the front served it alone (no hop-core started): `hop
// export` in every format (`--format process` is what every SDK runs for
// a credential_process profile) and `hop renew --hook` with nothing to
// renew (a hop shell's prompt hook once per expiry).
func BenchmarkWarmServed(b *testing.B) {
	s := newScenario(b)
	s.useKeyctl(b, deployProfile)
	s.exec(b, "keyctl", deployProfile, "true")
	lines := [][]string{}
	for _, format := range export.Formats {
		lines = append(lines, []string{"export", "--format", format, deployProfile})
	}
	lines = append(lines, []string{"renew", "--hook", "--shell", "bash", deployProfile})
	for _, args := range lines {
		line := strings.Join(args, " ")
		b.Run(line, func(b *testing.B) {
			cmd := exec.Command(s.hop, args...)
			cmd.Env = s.environ("keyctl")
			a, err := TraceCache(cmd, "")
			if err != nil {
				b.Fatal(err)
			}
			served := slices.Equal(a.Programs, []string{s.hop})
			row, _ := overFloor(b, "warm `hop "+line+"`, keyctl", Command{Path: s.hop, Args: args, Env: s.environ("keyctl")}, "exec", 1.5, nil)
			if !served {
				row.Cost += "; ran " + strings.Join(a.Programs, ", ")
				row.Verdict = "missed"
			}
			row.Target = "served by the front, " + row.Target
			table.Add(row)
		})
	}
}

// keyctlItemsMadeBy runs cmd and returns the items hop's kernel keyring
// gained while it ran, to be removed when tb ends: the base build names
// its cache items its own way, and the user keyring outlives the
// benchmark. The window is the one command's, so another process's items
// are not taken for its.
func keyctlItemsMadeBy(tb testing.TB, cmd *exec.Cmd) {
	tb.Helper()
	kr, err := fetch.OpenKeyring(fetch.KeyringOptions{Backend: "keyctl", Getenv: os.Getenv})
	if err != nil {
		tb.Skipf("no kernel keyring here: %v", err)
	}
	before, err := kr.Keys()
	if err != nil {
		tb.Fatal(err)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	after, err := kr.Keys()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		for _, k := range after {
			if !slices.Contains(before, k) {
				if err := kr.Remove(k); err != nil && !errors.Is(err, keyring.ErrKeyNotFound) {
					tb.Errorf("removing %s from the kernel keyring: %v", k, err)
				}
			}
		}
	})
}

// BenchmarkAgainstBase pairs the warm exec with that of the build
// HOP_BASE_BIN names (`make bench BASE=commit` builds one), on the same
// chain and store, each from a cache it filled itself: the regression
// guard for the warm path. The target: no slower than the base.
func BenchmarkAgainstBase(b *testing.B) {
	base := os.Getenv("HOP_BASE_BIN")
	if base == "" {
		b.Skip("no HOP_BASE_BIN (make bench BASE=commit sets it)")
	}
	s := newScenario(b)
	s.useKeyctl(b, deployProfile)
	s.exec(b, "keyctl", deployProfile, "true")
	warmBase := exec.Command(base, "exec", deployProfile, "--", "true")
	warmBase.Env = s.environ("keyctl")
	keyctlItemsMadeBy(b, warmBase)
	p := sample(b, Command{Path: s.hop, Args: []string{"exec", deployProfile, "--", "true"}, Env: s.environ("keyctl")},
		Command{Path: base, Args: []string{"exec", deployProfile, "--", "true"}, Env: s.environ("keyctl")})
	m, lo, hi := p.Paired()
	b.ReportMetric(m, "over-base-x")
	row := Row{
		Measure:  "warm `hop exec deploy -- true`, keyctl, small config: this tree against " + os.Getenv("HOP_BASE_NAME"),
		Figure:   Millis(Median(p.A)),
		Baseline: "base " + Millis(Median(p.B)),
		Cost:     fmt.Sprintf("×%.3f paired (quartiles %.3f–%.3f, n=%d); %d page faults to %d", m, lo, hi, len(p.A), Median(p.FaultsA), Median(p.FaultsB)),
		Target:   "≤ ×1.00 (no slower than the base)",
		Verdict:  "missed",
	}
	if m <= 1 {
		row.Verdict = "met"
	}
	table.Add(row)
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
		cmd := exec.Command("go", "test", "-tags", "e2e", "-count=1", "-run", "^$", "-bench", "BenchmarkRender/^(bash|zsh)$/", "-benchtime", "1000x", "./shellinit")
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
