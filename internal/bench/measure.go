// Package bench measures hop as a user meets it: whole processes timed side
// by side with a baseline, taking turns, so that a noisy machine slows both
// alike; the large AWS configs the scale figures need; and what a run did to
// the session cache, read from strace. `make bench` prints its figures as
// one table.
package bench

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// Command is one process to time.
type Command struct {
	Path string
	Args []string // after argv[0]
	Env  []string
	Dir  string
}

// Sample is one run.
type Sample struct {
	// Wall is the time from start to exit, which is what a user waits for.
	Wall time.Duration
	// Faults counts the minor page faults: memory the process touched for
	// the first time. It does not vary with load, and on a virtual machine
	// where each fault is dear it explains most of a start-up's cost.
	Faults int64
}

// Run starts the command with /dev/null for input and output, and waits.
func (c Command) Run() (Sample, error) {
	cmd := exec.Command(c.Path, c.Args...)
	cmd.Env, cmd.Dir = c.Env, c.Dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if err != nil {
		return Sample{}, fmt.Errorf("%s %s: %w: %s", c.Path, strings.Join(c.Args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return Sample{Wall: took, Faults: minorFaults(cmd.ProcessState)}, nil
}

// Pair holds samples of two commands, A and B, taken in turns.
type Pair struct {
	A, B []time.Duration
	// FaultsA and FaultsB are the runs' page faults.
	FaultsA, FaultsB []int64
}

// Next takes one sample of each. The order flips at each call, so neither
// command always runs in the other's wake (a warm page cache, a CPU just
// freed).
func (p *Pair) Next(a, b Command) error {
	first, second := a, b
	if len(p.A)%2 == 1 {
		first, second = b, a
	}
	t1, err := first.Run()
	if err != nil {
		return err
	}
	t2, err := second.Run()
	if err != nil {
		return err
	}
	if len(p.A)%2 == 1 {
		t1, t2 = t2, t1
	}
	p.A, p.B = append(p.A, t1.Wall), append(p.B, t2.Wall)
	p.FaultsA, p.FaultsB = append(p.FaultsA, t1.Faults), append(p.FaultsB, t2.Faults)
	return nil
}

// Overhead is the median of A−B within each pair: what A costs beyond B
// under the same load, which a difference of medians taken at different
// moments would not be.
func (p Pair) Overhead() time.Duration {
	diffs := make([]time.Duration, len(p.A))
	for i := range p.A {
		diffs[i] = p.A[i] - p.B[i]
	}
	return Median(diffs)
}

// Ratio is median A over median B.
func (p Pair) Ratio() float64 {
	b := Median(p.B)
	if b == 0 {
		return 0
	}
	return float64(Median(p.A)) / float64(b)
}

// Median of ds; 0 for none. ds is not reordered.
func Median[T time.Duration | int64](ds []T) T {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Millis renders a duration in milliseconds with precision that suits its
// size.
func Millis(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 0:
		return "-" + Millis(-d)
	case ms < 1:
		return fmt.Sprintf("%.3f ms", ms)
	case ms < 100:
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.0f ms", ms)
}

// Trio holds samples of hop (A), the Go floor for what it does, and a
// baseline (bare true), taken in turns, the order rotating each round, so
// hop's overhead can be set against the floor's under the same load.
type Trio struct {
	A, Floor, Base []time.Duration
	// Others holds samples of further floors, taken in the same rounds.
	Others [][]time.Duration
	// Aside holds, when a round timed it, work of A's the comparison
	// sets aside (measured in the same round, so under the same load).
	Aside []time.Duration
}

// Next takes one sample of each: a, the floor, the baseline, and each of
// others.
func (t *Trio) Next(a, floor, base Command, others ...Command) error {
	cmds := append([]Command{a, floor, base}, others...)
	got := make([]time.Duration, len(cmds))
	for i := range cmds {
		j := (i + len(t.A)) % len(cmds)
		s, err := cmds[j].Run()
		if err != nil {
			return err
		}
		got[j] = s.Wall
	}
	t.A, t.Floor, t.Base = append(t.A, got[0]), append(t.Floor, got[1]), append(t.Base, got[2])
	if t.Others == nil {
		t.Others = make([][]time.Duration, len(others))
	}
	for k := range others {
		t.Others[k] = append(t.Others[k], got[3+k])
	}
	return nil
}

// OverFloor is hop's overhead over the baseline as a multiple of the
// floor's, round by round, less what Aside holds: the median and the
// quartiles of the rounds' ratios, which say how much the load moved it.
// Rounds where the floor did not outlast the baseline say nothing and are
// left out.
func (t Trio) OverFloor() (median, low, high float64) { return t.over(t.Floor) }

// OverOther is OverFloor against the further floor k.
func (t Trio) OverOther(k int) (median, low, high float64) { return t.over(t.Others[k]) }

func (t Trio) over(floor []time.Duration) (median, low, high float64) {
	var ratios []float64
	for i := range t.A {
		over := t.A[i] - t.Base[i]
		if i < len(t.Aside) {
			over -= t.Aside[i]
		}
		if f := floor[i] - t.Base[i]; f > 0 {
			ratios = append(ratios, float64(over)/float64(f))
		}
	}
	if len(ratios) == 0 {
		return 0, 0, 0
	}
	slices.Sort(ratios)
	at := func(q float64) float64 { return ratios[int(q*float64(len(ratios)-1))] }
	return at(0.5), at(0.25), at(0.75)
}

// Paired is A over B round by round (a Pair's samples): the median and
// the quartiles of the rounds' ratios.
func (p Pair) Paired() (median, low, high float64) {
	ratios := make([]float64, len(p.A))
	for i := range p.A {
		ratios[i] = float64(p.A[i]) / float64(p.B[i])
	}
	if len(ratios) == 0 {
		return 0, 0, 0
	}
	slices.Sort(ratios)
	at := func(q float64) float64 { return ratios[int(q*float64(len(ratios)-1))] }
	return at(0.5), at(0.25), at(0.75)
}
