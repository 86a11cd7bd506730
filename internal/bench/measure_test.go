package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{3 * ms}, 3 * ms},
		{[]time.Duration{9 * ms, 1 * ms, 5 * ms}, 5 * ms},
		{[]time.Duration{4 * ms, 1 * ms, 2 * ms, 100 * ms}, 3 * ms},
	} {
		in := append([]time.Duration(nil), c.in...)
		if got := Median(in); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.in, got, c.want)
		}
		for i := range in {
			if in[i] != c.in[i] {
				t.Fatalf("Median reordered its input: %v", in)
			}
		}
	}
}

func TestOverheadIsPaired(t *testing.T) {
	ms := time.Millisecond
	// Load doubles halfway through: each pair still shows A 2 ms over B,
	// while the difference of the medians would say 4.5 ms.
	p := Pair{
		A: []time.Duration{3 * ms, 3 * ms, 3 * ms, 12 * ms, 12 * ms},
		B: []time.Duration{1 * ms, 1 * ms, 1 * ms, 10 * ms, 10 * ms},
	}
	if got := p.Overhead(); got != 2*ms {
		t.Errorf("Overhead = %v, want 2ms", got)
	}
	if got := p.Ratio(); got != 3 {
		t.Errorf("Ratio = %v, want 3", got)
	}
}

// TestNextAlternates checks the order of runs with commands that append
// their name to a log file.
func TestNextAlternates(t *testing.T) {
	log := filepath.Join(t.TempDir(), "log")
	cmd := func(name string) Command {
		return Command{Path: "/bin/sh", Args: []string{"-c", "printf " + name + " >>" + log}}
	}
	var p Pair
	for range 3 {
		if err := p.Next(cmd("A"), cmd("B")); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "ABBAAB" {
		t.Errorf("runs went %q, want ABBAAB", got)
	}
	if len(p.A) != 3 || len(p.B) != 3 {
		t.Fatalf("%d A and %d B samples, want 3 each", len(p.A), len(p.B))
	}
	for i := range p.A {
		if p.A[i] <= 0 || p.B[i] <= 0 {
			t.Errorf("sample %d: A %v, B %v; want both timed", i, p.A[i], p.B[i])
		}
		if p.FaultsA[i] <= 0 || p.FaultsB[i] <= 0 {
			t.Errorf("sample %d: %d and %d page faults; a process cannot start without any", i, p.FaultsA[i], p.FaultsB[i])
		}
	}
}

func TestRunReportsFailure(t *testing.T) {
	_, err := Command{Path: "/bin/sh", Args: []string{"-c", "echo broken >&2; exit 3"}}.Run()
	if err == nil || !strings.Contains(err.Error(), "broken") {
		t.Errorf("Run of a failing command: %v, want an error with its stderr", err)
	}
}

func TestTableWrite(t *testing.T) {
	var tab Table
	ms := time.Millisecond
	r := PairRow("warm exec", "true", Pair{A: []time.Duration{6 * ms, 8 * ms}, B: []time.Duration{2 * ms, 4 * ms},
		FaultsA: []int64{700, 720}, FaultsB: []int64{60, 60}})
	r.Target, r.Verdict = "≤ 5 ms", Within(4*ms, 5*ms)
	tab.Add(r)
	tab.Note("%d items read", 1)
	var b strings.Builder
	if err := tab.Write(&b); err != nil {
		t.Fatal(err)
	}
	want := "| measure   | hop    | baseline    | hop's cost                                  | target | verdict |\n" +
		"| --------- | ------ | ----------- | ------------------------------------------- | ------ | ------- |\n" +
		"| warm exec | 7.0 ms | true 3.0 ms | +4.0 ms (×2.33, n=2); 710 page faults to 60 | ≤ 5 ms | met     |\n" +
		"\n- 1 items read\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
	if Within(6*ms, 5*ms) != "missed" {
		t.Error("Within(6ms, 5ms) is not missed")
	}
}

func TestMillis(t *testing.T) {
	for d, want := range map[time.Duration]string{
		150 * time.Microsecond:   "0.150 ms",
		12340 * time.Microsecond: "12.3 ms",
		-2 * time.Millisecond:    "-2.0 ms",
		432 * time.Millisecond:   "432 ms",
	} {
		if got := Millis(d); got != want {
			t.Errorf("Millis(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestTrioOverFloor(t *testing.T) {
	tr := Trio{
		A:     []time.Duration{13, 7, 16, 5},
		Floor: []time.Duration{6, 4, 7, 3},
		Base:  []time.Duration{1, 1, 1, 3},
	}
	// Rounds: 12/5, 6/3, 15/6; the last has no floor above the baseline.
	if m, lo, hi := tr.OverFloor(); m != 2.4 || lo != 2 || hi != 2.4 {
		t.Errorf("OverFloor = %v, %v, %v; want 2.4, 2, 2.4", m, lo, hi)
	}
	p := Pair{A: []time.Duration{2, 3, 9}, B: []time.Duration{1, 3, 3}}
	if m, lo, hi := p.Paired(); m != 2 || lo != 1 || hi != 2 {
		t.Errorf("Paired = %v, %v, %v; want 2, 1, 2", m, lo, hi)
	}
}

func TestTrioOverFloorSetsAside(t *testing.T) {
	tr := Trio{A: []time.Duration{13}, Floor: []time.Duration{6}, Base: []time.Duration{1}, Aside: []time.Duration{2}}
	if m, _, _ := tr.OverFloor(); m != 2 {
		t.Errorf("OverFloor = %v, want (13-1-2)/(6-1) = 2", m)
	}
}

func TestTrioOverOther(t *testing.T) {
	tr := Trio{A: []time.Duration{13}, Floor: []time.Duration{6}, Base: []time.Duration{1}, Others: [][]time.Duration{{4}}}
	if m, _, _ := tr.OverOther(0); m != 4 {
		t.Errorf("OverOther(0) = %v, want (13-1)/(4-1) = 4", m)
	}
}
