// Package picker is hop's interactive profile picker: a filter line and a
// list of profiles, drawn on the terminal itself (package tty), so it works
// while stdout is piped. It is hop-core's alone: its terminal UI library
// must never reach the front.
package picker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-isatty"

	"github.com/hop-cli/hop/tty"
	"github.com/hop-cli/hop/untrusted"
)

// Row is one profile as the picker shows it. Every field may hold text
// hop did not write; the picker filters it before drawing.
type Row struct {
	Profile     string
	AccountID   string
	AccountName string
	Role        string
	Kind        string
	// Left is the cached session's time left, "" when none is cached.
	Left string
	// Problem says why the profile cannot be used (a loop, a dangling
	// source_profile...), "" when it can.
	Problem string
}

// ErrCanceled is what Pick returns when the user leaves without a choice
// (Esc).
var ErrCanceled = errors.New("no profile picked")

// ErrInterrupted is what Pick returns on Ctrl-C, which the picker reads as
// a key: the caller is to act as the terminal would have, with SIGINT.
var ErrInterrupted = errors.New("the profile picker was interrupted (Ctrl-C)")

// ErrNoTerminal says the picker cannot open: there is no terminal to draw
// on, or HOP_NO_PICKER asks for none.
var ErrNoTerminal = errors.New("no terminal for the profile picker")

// Available reports whether the picker can open: HOP_NO_PICKER is not set,
// hop has a controlling terminal, and stdin or stderr is that terminal (a
// script with a terminal somewhere above it must not stop to wait for a
// person).
func Available(getenv func(string) string) error {
	switch strings.ToLower(getenv("HOP_NO_PICKER")) {
	case "", "0", "false", "no":
	default:
		return fmt.Errorf("%w (HOP_NO_PICKER is set)", ErrNoTerminal)
	}
	if !isatty.IsTerminal(os.Stdin.Fd()) && !isatty.IsTerminal(os.Stderr.Fd()) {
		return ErrNoTerminal
	}
	if !tty.Available() {
		return ErrNoTerminal
	}
	return nil
}

// Pick lists the profiles named, in that order, on the terminal and
// returns the one the user chose. prompt heads the list, e.g. "hop exec".
// details returns their rows; the picker draws the names at once and
// calls it in the background, so that resolving thousands of profiles
// does not delay the first draw.
func Pick(ctx context.Context, prompt string, names []string, details func() []Row) (string, error) {
	t, ok := tty.Open()
	if !ok {
		return "", ErrNoTerminal
	}
	defer t.Close()
	rows := make([]Row, len(names))
	for i, n := range names {
		rows[i] = Row{Profile: n}
	}
	m := newModel(prompt, rows)
	m.load = details
	p := tea.NewProgram(m, tea.WithInput(t.In()), tea.WithOutput(t.Out()), tea.WithContext(ctx), tea.WithoutSignalHandler())
	final, err := p.Run()
	if err != nil {
		if ctx.Err() != nil {
			return "", ErrCanceled
		}
		return "", fmt.Errorf("the profile picker failed: %w", err)
	}
	m = final.(*model)
	switch {
	case m.interrupted:
		return "", ErrInterrupted
	case m.choice != "":
		return m.choice, nil
	}
	return "", ErrCanceled
}

// detailsMsg carries the rows Pick's details returned.
type detailsMsg []Row

// entry is a row made ready to draw and to match.
type entry struct {
	cells [columns]string
	// haystack is every field, lower case, for matching.
	haystack string
	profile  string
	// problem is why the profile cannot be used, filtered; "" when it can.
	problem string
}

const columns = 6

var headers = [columns]string{"PROFILE", "ACCOUNT", "NAME", "ROLE", "KIND", "LEFT"}

// maxCell bounds a column, so one long name cannot push the rest away.
const maxCell = 40

type model struct {
	prompt string
	// query is the filter line as typed. It is a few words, edited at
	// its end, so it needs no text-editing widget.
	query   []rune
	entries []entry
	// shown indexes entries that match the filter, in order.
	shown  []int
	cursor int
	// top is the first shown entry on screen.
	top           int
	width, height int
	widths        [columns]int
	choice        string
	done          bool
	interrupted   bool
	// refused says why the profile last chosen cannot be used.
	refused string
	// load returns the rows' details, once, in the background.
	load func() []Row
}

func newModel(prompt string, rows []Row) *model {
	m := &model{prompt: prompt, width: 80, height: 24}
	m.setRows(rows)
	m.filter()
	return m
}

// setRows makes rows the entries, in order.
func (m *model) setRows(rows []Row) {
	m.entries = make([]entry, len(rows))
	for i, r := range rows {
		cells := [columns]string{r.Profile, r.AccountID, r.AccountName, r.Role, r.Kind, r.Left}
		var hay strings.Builder
		for c := range cells {
			cells[c] = untrusted.Text(cells[c])
			hay.WriteString(strings.ToLower(cells[c]))
			hay.WriteByte(0)
		}
		m.entries[i] = entry{cells: cells, haystack: hay.String(), profile: r.Profile, problem: untrusted.Text(r.Problem)}
	}
	for c := range columns {
		m.widths[c] = len(headers[c])
	}
	for _, e := range m.entries {
		for c, cell := range e.cells {
			m.widths[c] = min(max(m.widths[c], width(cell)), maxCell)
		}
	}
}

// addDetails takes the rows' details in place of the bare names, keeping
// the order the names came in, the filter, and the profile under the
// cursor.
func (m *model) addDetails(rows []Row) {
	byName := make(map[string]Row, len(rows))
	for _, r := range rows {
		byName[r.Profile] = r
	}
	current := ""
	if len(m.shown) > 0 {
		current = m.entries[m.shown[m.cursor]].profile
	}
	merged := make([]Row, len(m.entries))
	for i, e := range m.entries {
		merged[i] = Row{Profile: e.profile}
		if r, ok := byName[e.profile]; ok {
			merged[i] = r
		}
	}
	m.setRows(merged)
	m.filter()
	for i, idx := range m.shown {
		if m.entries[idx].profile == current {
			m.move(i)
			break
		}
	}
}

func (m *model) Init() tea.Cmd {
	if m.load == nil {
		return nil
	}
	return func() tea.Msg { return detailsMsg(m.load()) }
}

// filter keeps the entries that hold every word typed, each anywhere in
// any field.
func (m *model) filter() {
	words := strings.Fields(strings.ToLower(string(m.query)))
	m.shown = m.shown[:0]
	for i, e := range m.entries {
		if matches(e.haystack, words) {
			m.shown = append(m.shown, i)
		}
	}
	m.cursor, m.top = 0, 0
}

func matches(haystack string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(haystack, w) {
			return false
		}
	}
	return true
}

// listHeight is how many rows fit under the filter line and the header.
func (m *model) listHeight() int {
	return max(1, min(m.height-3, 20))
}

func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case detailsMsg:
		m.addDetails(msg)
	case tea.PasteMsg:
		m.typed(msg.Content)
	case tea.KeyPressMsg:
		m.refused = ""
		switch msg.String() {
		case "ctrl+c":
			m.interrupted, m.done = true, true
			return m, tea.Quit
		case "esc", "ctrl+d":
			m.done = true
			return m, tea.Quit
		case "enter":
			if len(m.shown) > 0 {
				e := m.entries[m.shown[m.cursor]]
				if e.problem != "" {
					// The list stays, for another choice.
					m.refused = fmt.Sprintf("%s cannot be used: %s (hop explain %s)", e.cells[0], e.problem, e.cells[0])
					break
				}
				m.choice = e.profile
				m.done = true
				return m, tea.Quit
			}
		case "up", "ctrl+p", "shift+tab":
			m.move(-1)
		case "down", "ctrl+n", "tab":
			m.move(1)
		case "pgup":
			m.move(-m.listHeight())
		case "pgdown":
			m.move(m.listHeight())
		case "backspace", "ctrl+h":
			if len(m.query) > 0 {
				m.query = m.query[:len(m.query)-1]
				m.filter()
			}
		case "ctrl+w":
			q := strings.TrimRight(string(m.query), " ")
			m.query = []rune(q[:strings.LastIndex(q, " ")+1])
			m.filter()
		case "ctrl+u":
			m.query = nil
			m.filter()
		default:
			if msg.Text != "" && msg.Mod&^tea.ModShift == 0 {
				m.typed(msg.Text)
			}
		}
	}
	return m, nil
}

// typed adds text to the filter line. Pasted text may hold newlines or
// escapes: only what can be typed is kept.
func (m *model) typed(text string) {
	for _, r := range text {
		if r >= ' ' && r != 0x7f {
			m.query = append(m.query, r)
		}
	}
	m.filter()
}

func (m *model) move(by int) {
	if len(m.shown) == 0 {
		return
	}
	m.cursor = max(0, min(len(m.shown)-1, m.cursor+by))
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if h := m.listHeight(); m.cursor >= m.top+h {
		m.top = m.cursor - h + 1
	}
}

func (m *model) View() tea.View {
	return tea.NewView(m.render())
}

func (m *model) render() string {
	if m.done {
		// Leave nothing behind: the command's own output follows.
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %d/%d  (Enter runs, Esc cancels)\n", m.prompt, len(m.shown), len(m.entries))
	if m.refused != "" {
		b.WriteString(ansi.Truncate(m.refused, max(m.width-1, 10), "…") + "\n")
	}
	b.WriteString("> " + untrusted.Text(string(m.query)))
	if len(m.query) == 0 {
		b.WriteString("\x1b[2mtype words to filter on profile, account, name, role, kind\x1b[0m")
	}
	b.WriteByte('\n')
	b.WriteString(m.line(entry{cells: headers}, false) + "\n")
	end := min(len(m.shown), m.top+m.listHeight())
	for i := m.top; i < end; i++ {
		b.WriteString(m.line(m.entries[m.shown[i]], i == m.cursor))
		if i < end-1 {
			b.WriteByte('\n')
		}
	}
	if len(m.shown) == 0 {
		b.WriteString("  no profile matches every word")
	}
	return b.String()
}

// line lays out one row in the column widths, cut to the terminal's. A
// profile that cannot be used shows why in place of its details, dimmed.
func (m *model) line(e entry, current bool) string {
	var b strings.Builder
	if current {
		b.WriteString("> ")
	} else {
		b.WriteString("  ")
	}
	cells := e.cells
	if e.problem != "" {
		cells = [columns]string{cells[0], "✗ " + e.problem}
	}
	for c, cell := range cells {
		if e.problem != "" && c == 1 {
			// The reason takes the rest of the line.
			b.WriteString(cell)
			break
		}
		cell = ansi.Truncate(cell, m.widths[c], "…")
		b.WriteString(cell)
		if c < columns-1 {
			b.WriteString(strings.Repeat(" ", m.widths[c]-width(cell)+2))
		}
	}
	s := ansi.Truncate(strings.TrimRight(b.String(), " "), max(m.width-1, 10), "…")
	// Reverse video and faint, not colour: they read on any theme, and
	// NO_COLOR is about colour.
	switch {
	case current && e.problem != "":
		return "\x1b[2;7m" + s + "\x1b[0m"
	case current:
		return "\x1b[7m" + s + "\x1b[0m"
	case e.problem != "":
		return "\x1b[2m" + s + "\x1b[0m"
	}
	return s
}

// width is how many columns s takes. Cells have been through
// untrusted.Text, so plain ASCII is all printable, one column a byte: the
// common case, and thousands of times cheaper than measuring graphemes.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}
