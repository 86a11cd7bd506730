//go:build e2e

package bench

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/completions"
	"github.com/hop-cli/hop/creds/config"
)

// scaleCounts are the generated configs' sizes: profiles in the config,
// and as many again in the credentials file.
var scaleCounts = []int{0, 1000, 10000, 50000}

// world is a home with a generated config of some size, the warm chain's
// sections after it, and the chain's target cached.
type world struct {
	env      []string
	getenv   func(string) string
	profiles int
}

// scaleWorlds makes a world per scaleCount for backend, and waits until
// the front has indexed each config, as it does for any config not
// changed in the last seconds.
func scaleWorlds(b *testing.B, hop, backend string) map[int]world {
	worlds := map[int]world{}
	for _, n := range scaleCounts {
		m := WarmCacheAmong(b, backend, n)
		env := []string{"PATH=" + os.Getenv("PATH")}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			env = append(env, k+"="+m[k])
		}
		getenv := func(k string) string { return m[k] }
		names, err := completions.ProfileNames(config.Paths(getenv))
		if err != nil {
			b.Fatal(err)
		}
		worlds[n] = world{env: env, getenv: getenv, profiles: len(names)}
	}
	// The index skips files changed within the last 2 s (creds'
	// racyWindow), which may still change unseen within a clock tick.
	time.Sleep(2100 * time.Millisecond)
	for _, n := range scaleCounts {
		w := worlds[n]
		cmd := exec.Command(hop, "exec", WarmProfile, "--", "true")
		cmd.Env = w.env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("hop exec %s with %d profiles: %v\n%s", WarmProfile, n, err, out)
		}
		// A config of a few sections is parsed whole, never indexed.
		want := 1
		if n == 0 {
			want = 0
		}
		if entries, _ := os.ReadDir(config.IndexDir(w.getenv)); len(entries) != want {
			b.Fatalf("the front made %d indexes of the %d-profile config, want %d", len(entries), n, want)
		}
	}
	return worlds
}

// scaleRun samples cmd in each world, against true, and returns the
// samples by size.
func scaleRun(b *testing.B, worlds map[int]world, cmd func(w world) Command) map[int]Pair {
	pairs := map[int]Pair{}
	for _, n := range scaleCounts {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			pairs[n] = sample(b, cmd(worlds[n]), baseline(b))
		})
	}
	return pairs
}

// BenchmarkScale times what a large organisation's config costs: the warm
// exec with each backend, `hop exec <TAB>`, `hop list`, `hop explain` and
// `hop export --format process`, each over 0 to 50,000 generated profiles.
func BenchmarkScale(b *testing.B) {
	hop := hopBinary(b)
	backends := []string{"keyctl", "file"}
	worldsOf := map[string]map[int]world{}
	for _, backend := range backends {
		worldsOf[backend] = scaleWorlds(b, hop, backend)
	}
	for _, backend := range backends {
		b.Run("warm exec "+backend, func(b *testing.B) {
			worlds := worldsOf[backend]
			pairs := scaleRun(b, worlds, func(w world) Command {
				return Command{Path: hop, Args: []string{"exec", WarmProfile, "--", "true"}, Env: w.env}
			})
			base := pairs[0].Overhead()
			for _, n := range scaleCounts {
				p := pairs[n]
				row := PairRow(fmt.Sprintf("warm `hop exec deploy -- true`, %s, %s", backend, sizeOf(n)), "true", p)
				ratio := float64(p.Overhead()) / float64(base)
				row.Cost += fmt.Sprintf("; overhead ×%.2f of 0 profiles'", ratio)
				switch n {
				case 10000:
					row.Target, row.Verdict = "overhead ≤ 1.2× 0 profiles'", verdict(ratio <= 1.2)
				case 50000:
					row.Target, row.Verdict = "overhead ≤ 1.5× 0 profiles'", verdict(ratio <= 1.5)
				}
				table.Add(row)
			}
		})
	}
	for _, c := range []struct {
		name, measure string
		args          []string
		env           []string
		// backend is the store of the worlds the command runs in.
		backend string
		// target and limit apply at 10,000 profiles.
		target string
		limit  time.Duration
	}{
		{"completion", "`hop exec <TAB>`", []string{"hop", "", "exec"}, []string{"COMP_LINE=hop exec ", "COMP_POINT=9"}, "file", "≤ 50 ms at 10,000", 50 * ms},
		{"completion zsh", "`hop exec <TAB>` in zsh, each name described", []string{"hop", "", "exec"}, []string{"COMP_LINE=hop exec ", "COMP_POINT=9", "HOP_COMPLETE=zsh"}, "file", "", 0},
		{"list", "`hop list`, file store, one session cached", []string{"list"}, nil, "file", "< 100 ms at 10,000", 100 * ms},
		{"list keyctl", "`hop list`, keyctl store, one session cached", []string{"list"}, nil, "keyctl", "< 100 ms at 10,000", 100 * ms},
		{"explain", "`hop explain deploy`", []string{"explain", WarmProfile}, nil, "file", "", 0},
		{"export", "`hop export --format process deploy`, cached", []string{"export", "--format", "process", WarmProfile}, nil, "file", "", 0},
	} {
		worlds := worldsOf[c.backend]
		b.Run(c.name, func(b *testing.B) {
			if c.name == "completion" {
				checkCandidates(b, hop, worlds, c.args, c.env)
			}
			pairs := scaleRun(b, worlds, func(w world) Command {
				return Command{Path: hop, Args: c.args, Env: append(slices.Clip(w.env), c.env...)}
			})
			for _, n := range scaleCounts {
				row := PairRow(fmt.Sprintf("%s, %s", c.measure, sizeOf(n)), "true", pairs[n])
				if n == 10000 && c.limit > 0 {
					row.Target, row.Verdict = c.target, Within(Median(pairs[n].A), c.limit)
				}
				table.Add(row)
			}
			table.Note("%s grows %s", c.measure, growth(pairs, median))
		})
	}
}

// checkCandidates makes sure completion answers in full, so its figures
// mean something.
func checkCandidates(b *testing.B, hop string, worlds map[int]world, args, env []string) {
	for _, n := range scaleCounts {
		cmd := exec.Command(hop, args...)
		cmd.Env = append(slices.Clip(worlds[n].env), env...)
		out, err := cmd.Output()
		if got := bytes.Count(out, []byte("\n")); err != nil || got != worlds[n].profiles {
			b.Fatalf("hop exec <TAB> gave %d candidates (%v), want %d", got, err, worlds[n].profiles)
		}
	}
}

// growth says how a figure grows: the ratio to 1,000 profiles' at each
// larger size, and the cost per 1,000 profiles from 1,000 to 50,000 (the
// same at each step when growth is linear).
func growth(pairs map[int]Pair, figure func(Pair) time.Duration) string {
	from := figure(pairs[1000])
	var parts []string
	for _, n := range scaleCounts[2:] {
		parts = append(parts, fmt.Sprintf("×%.1f at %s", float64(figure(pairs[n]))/float64(from), count(n)))
	}
	per1k := func(a, z int) string {
		return Millis((figure(pairs[z]) - figure(pairs[a])) * 1000 / time.Duration(z-a))
	}
	return fmt.Sprintf("from 1,000 profiles: %s; %s per 1,000 profiles from 1,000 to 10,000, %s from 10,000 to 50,000",
		strings.Join(parts, ", "), per1k(1000, 10000), per1k(10000, 50000))
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "missed"
}

// count writes n with thousands separated, as the README does.
func count(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// sizeOf names a generated config's size in a row.
func sizeOf(n int) string {
	return fmt.Sprintf("%s profiles (+%s in credentials)", count(n), count(n))
}
