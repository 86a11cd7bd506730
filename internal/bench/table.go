package bench

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Row is one line of the table.
type Row struct {
	// Measure says what was measured.
	Measure string
	// Figure is hop's: a median, or a count.
	Figure string
	// Baseline names what hop was measured against, with its median.
	Baseline string
	// Cost is hop's cost beyond the baseline, and the ratio of medians.
	Cost string
	// Target is the goal for this row.
	Target string
	// Verdict is "met" or "missed" against Target, or "" for none.
	Verdict string
}

// PairRow fills a row from samples of hop (A) against a baseline (B): the
// medians, the median paired overhead and the ratio.
func PairRow(measure, baseline string, p Pair) Row {
	return Row{
		Measure:  measure,
		Figure:   Millis(Median(p.A)),
		Baseline: fmt.Sprintf("%s %s", baseline, Millis(Median(p.B))),
		Cost: fmt.Sprintf("+%s (×%.2f, n=%d); %d page faults to %d", Millis(p.Overhead()), p.Ratio(), len(p.A),
			Median(p.FaultsA), Median(p.FaultsB)),
	}
}

// Within is the verdict for a figure that must not exceed limit.
func Within(got, limit time.Duration) string {
	if got <= limit {
		return "met"
	}
	return "missed"
}

// Table collects rows from benchmarks that run one after another, and notes
// that explain them.
type Table struct {
	mu    sync.Mutex
	rows  []Row
	notes []string
}

// Add appends a row.
func (t *Table) Add(r Row) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rows = append(t.rows, r)
}

// Note adds a line printed under the table.
func (t *Table) Note(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.notes = append(t.notes, fmt.Sprintf(format, args...))
}

// Len is the number of rows.
func (t *Table) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.rows)
}

// Write prints the table as aligned Markdown, ready to paste into the
// performance doc (docs/performance.md), then the notes.
func (t *Table) Write(w io.Writer) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := [][]string{{"measure", "hop", "baseline", "hop's cost", "target", "verdict"}}
	for _, r := range t.rows {
		lines = append(lines, []string{r.Measure, r.Figure, r.Baseline, r.Cost, r.Target, r.Verdict})
	}
	widths := make([]int, len(lines[0]))
	for _, cells := range lines {
		for i, c := range cells {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for n, cells := range lines {
		for i, c := range cells {
			fmt.Fprintf(&b, "| %s%s ", c, strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)))
		}
		b.WriteString("|\n")
		if n == 0 {
			for _, width := range widths {
				fmt.Fprintf(&b, "| %s ", strings.Repeat("-", width))
			}
			b.WriteString("|\n")
		}
	}
	for _, n := range t.notes {
		fmt.Fprintf(&b, "\n- %s", n)
	}
	if len(t.notes) > 0 {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
