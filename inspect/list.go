package inspect

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/store"
	"github.com/hop-cli/hop/untrusted"
)

// Row is one profile in `hop list`.
type Row struct {
	Profile string
	Kind    string
	// Chain is the target first, then each source, ending with where the
	// first credentials come from: ["requires3", "example", "sso:corp"].
	Chain  []string
	Region string
	// AccountID and Role are the target's, when the config says.
	AccountID string
	Role      string
	// KeyID is the access key ID of the stored key the chain starts at,
	// when it can be read without a prompt.
	KeyID string
	// Expires is set when a session is cached for the profile.
	Expires *time.Time
	Error   string
	// problem is the error without its file and hint, to fit a table.
	problem string
	// keyNote says, for the table, when a chain's stored key is missing.
	keyNote string
}

// Problem says why the profile cannot be used, without its file and
// hint, as the table shows it; "" when it can.
func (r Row) Problem() string { return r.problem }

// maxProblem bounds an error in the table: the whole text is in --json
// and in `hop explain`, and a long one would push every row wide.
const maxProblem = 60

// Rows resolves every profile in cfg, in file order.
func Rows(cfg *config.Config, cache Cache) []Row {
	profiles := cfg.Profiles()
	l := &lister{cfg: cfg, cache: cache, entries: cache.Index.Entries(), keyIDs: map[string]string{}}
	// A session key digests the whole chain: compute it only for profiles
	// the index holds a session for, not for every profile listed.
	l.indexed = make(map[string]bool, len(l.entries))
	for _, e := range l.entries {
		l.indexed[e.Profile] = true
	}
	rows := make([]Row, len(profiles))
	// Each profile resolves on its own, and a config listed in full is
	// only read, so large configs are shared among the processors.
	workers := max(1, min(runtime.GOMAXPROCS(0), len(profiles)/rowsPerWorker))
	var wg sync.WaitGroup
	for w := range workers {
		from, to := w*len(profiles)/workers, (w+1)*len(profiles)/workers
		wg.Go(func() { l.fill(rows[from:to], profiles[from:to]) })
	}
	wg.Wait()
	return rows
}

// rowsPerWorker is the fewest profiles worth a goroutine of their own.
const rowsPerWorker = 128

// lister makes list's rows; its fill may run on several goroutines.
type lister struct {
	cfg     *config.Config
	cache   Cache
	entries map[string]store.IndexEntry
	indexed map[string]bool
	// keyIDs holds each stored key's ID, read once however many roles
	// start at it.
	mu     sync.Mutex
	keyIDs map[string]string
}

// fill makes the row of each profile.
func (l *lister) fill(rows []Row, profiles []*config.Profile) {
	// Every row's chain is cut from one slice: most chains are a profile
	// or two and a source.
	parts := make([]string, 0, 3*len(profiles))
	// One chain serves every profile in turn.
	chain := new(creds.Chain)
	for i, p := range profiles {
		row := &rows[i]
		row.Profile = p.Name
		if err := chain.Resolve(l.cfg, p); err != nil {
			row.Kind, row.Error, row.problem = "error", err.Error(), err.Error()
			var cerr *config.Error
			if errors.As(err, &cerr) {
				row.problem = cerr.Msg
			}
			continue
		}
		t := len(chain.Hops) - 1
		target := chain.Target()
		start := len(parts)
		parts = chain.AppendParts(parts)
		row.Kind, row.Chain, row.Region = string(target.Kind), parts[start:len(parts):len(parts)], chain.Region
		row.AccountID, row.Role = target.AccountID(), roleName(target)
		if root := chain.Hops[0]; root.Kind == creds.KindStored {
			row.KeyID = l.keyID(root.Profile)
			if row.KeyID == "" && l.cache.peekable() && !store.Holds(store.StoredKeyItem(root.Profile), l.cache.Getenv) {
				row.keyNote = "no key stored"
			}
		}
		if l.indexed[p.Name] && chain.Hops[t].Cacheable() {
			if e, ok := l.entries[creds.SessionKey(chain, t, l.cache.Getenv)]; ok && e.Expires.After(l.cache.Now) {
				exp := e.Expires
				row.Expires = &exp
			}
		}
	}
}

// keyID is the ID of profile's stored key, when it can be read without a
// prompt.
func (l *lister) keyID(profile string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	id, ok := l.keyIDs[profile]
	if !ok {
		id, _ = creds.PeekStoredKeyID(profile, l.cache.Getenv)
		l.keyIDs[profile] = id
	}
	return id
}

// WriteNames prints the name of each row pick takes, one a line, with the
// note pick gives it after a blank: aws-vault's plain lists, for scripts.
// Names are config text: data, filtered.
func WriteNames(w io.Writer, rows []Row, pick func(Row) (string, bool)) error {
	var b strings.Builder
	for _, r := range rows {
		note, ok := pick(r)
		if !ok {
			continue
		}
		b.WriteString(untrusted.Text(r.Profile))
		if note != "" {
			b.WriteString(" " + note)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteTable prints rows as an aligned table: each column as wide as its
// widest cell (in runes) and two spaces, the last one unpadded, as
// text/tabwriter aligns them. tabwriter keeps every cell of every line
// until it flushes; here each cell is made twice instead, once to measure
// it and once to write it, so the table costs no memory per row: at
// 20,000 profiles, fresh memory is most of what `hop list` pays for.
func WriteTable(w io.Writer, rows []Row, cache Cache) error {
	t := tableWriter{cache: cache}
	widths := [tableColumns - 1]int{}
	for col := range widths {
		widths[col] = len(tableHeader[col])
	}
	for i := range rows {
		for col := range widths {
			t.cell(&rows[i], col)
			widths[col] = max(widths[col], t.width)
		}
	}
	t.out = bufio.NewWriterSize(w, 64<<10)
	t.line(nil, widths)
	for i := range rows {
		t.line(&rows[i], widths)
	}
	return t.out.Flush()
}

// tableColumns is how many columns list's table has; tablePadding is the
// space between two.
const (
	tableColumns = 5
	tablePadding = 2
)

var tableHeader = [tableColumns]string{"PROFILE", "KIND", "CHAIN", "REGION", "SESSION"}

const spaces = "                                                                "

// tableWriter makes list's cells, piece by piece: it measures each cell,
// and writes it too when out is set.
type tableWriter struct {
	cache Cache
	out   *bufio.Writer
	// width is the last cell's, in runes.
	width int
}

// line writes row's line, or the header's for nil, padded to widths.
func (t *tableWriter) line(r *Row, widths [tableColumns - 1]int) {
	for col := range tableColumns {
		if r == nil {
			t.width = 0
			t.put(tableHeader[col])
		} else {
			t.cell(r, col)
		}
		if col < len(widths) {
			for pad := widths[col] - t.width + tablePadding; pad > 0; pad -= len(spaces) {
				t.out.WriteString(spaces[:min(pad, len(spaces))])
			}
		}
	}
	t.out.WriteByte('\n')
}

// cell makes one cell of r. Cells hold config text: filtered, a tab or
// newline in one cannot break the table either. The filter maps rune by
// rune, so filtering each piece is filtering the cell.
func (t *tableWriter) cell(r *Row, col int) {
	t.width = 0
	switch col {
	case 0:
		t.put(untrusted.Text(r.Profile))
	case 1:
		t.put(r.Kind)
	case 2:
		t.chain(r)
	case 3:
		t.put(untrusted.Text(dash(r.Region)))
	case 4:
		if r.Expires == nil {
			t.put("-")
			break
		}
		t.put(t.cache.left(*r.Expires))
		t.put(" left")
	}
}

// chain makes the CHAIN cell: the chain, or what is wrong with it.
func (t *tableWriter) chain(r *Row) {
	if r.Error != "" {
		t.put("! ")
		t.put(untrusted.Text(shorten(r.problem, maxProblem)))
		t.put(" (hop explain ")
		t.put(untrusted.Text(r.Profile))
		t.put(")")
		return
	}
	for i, part := range r.Chain {
		if i > 0 {
			t.put(" <- ")
		}
		t.put(untrusted.Text(part))
	}
	switch {
	case r.KeyID != "":
		t.put(" (key ")
		t.put(untrusted.Text(r.KeyID))
		t.put(")")
	case r.keyNote != "":
		t.put(" (" + r.keyNote + ")")
	}
}

// put adds a piece to the cell, which stops at maxCell runes, the last
// an ellipsis.
func (t *tableWriter) put(s string) {
	n := utf8.RuneCountInString(s)
	switch room := maxCell - t.width; {
	case room <= 0:
		return
	case n > room:
		cut := 0
		for range room - 1 {
			_, size := utf8.DecodeRuneInString(s[cut:])
			cut += size
		}
		s, n = s[:cut]+"…", room
	}
	t.width += n
	if t.out != nil {
		t.out.WriteString(s)
	}
}

// maxCell bounds a cell of the table, as every column is padded to its
// widest: a profile with a 1 MiB region made a thousand profiles' table
// a gigabyte. --json and `hop explain` have it all.
const maxCell = 200

// jsonRow is a Row for scripts: every time in RFC 3339, UTC.
type jsonRow struct {
	Profile   string   `json:"profile"`
	Kind      string   `json:"kind"`
	Chain     []string `json:"chain"`
	Region    string   `json:"region,omitempty"`
	AccountID string   `json:"account_id,omitempty"`
	Role      string   `json:"role,omitempty"`
	KeyID     string   `json:"key_id,omitempty"`
	Expires   string   `json:"expires,omitempty"`
	Error     string   `json:"error,omitempty"`
}

// toJSON is r as --json writes it.
func toJSON(r *Row) jsonRow {
	jr := jsonRow{Profile: r.Profile, Kind: r.Kind, Chain: r.Chain, Region: r.Region,
		AccountID: r.AccountID, Role: r.Role, KeyID: r.KeyID, Error: r.Error}
	if jr.Chain == nil {
		jr.Chain = []string{}
	}
	if r.Expires != nil {
		jr.Expires = r.Expires.UTC().Format(timeFormat)
	}
	return jr
}

// timeFormat is how --json writes times.
const timeFormat = time.RFC3339

// WriteJSON prints rows for scripts, as json.MarshalIndent lays out the
// array with two spaces, one row at a time: at 20,000 profiles the whole
// array in memory, and its indented copy, cost more than the rest of
// list. encoding/json escapes C0 controls but passes DEL, C1 and bidi
// controls raw; those are escaped too (as \uXXXX, so the values a script
// decodes are unchanged), because the JSON may be read on a terminal.
func WriteJSON(w io.Writer, rows []Row) error {
	if len(rows) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	out := bufio.NewWriterSize(w, 64<<10)
	var row, indented bytes.Buffer
	enc := json.NewEncoder(&row)
	out.WriteString("[\n")
	for i := range rows {
		row.Reset()
		if err := enc.Encode(toJSON(&rows[i])); err != nil {
			return err
		}
		indented.Reset()
		// An element of the array: its first line at the array's indent,
		// which Indent leaves to the caller, the rest one level deeper.
		if err := json.Indent(&indented, bytes.TrimSuffix(row.Bytes(), []byte("\n")), "  ", "  "); err != nil {
			return err
		}
		out.WriteString("  ")
		out.Write(escapeControls(indented.Bytes()))
		if i < len(rows)-1 {
			out.WriteByte(',')
		}
		out.WriteByte('\n')
	}
	out.WriteString("]\n")
	return out.Flush()
}

// roleName is the role the target credentials act as, when the config
// says.
func roleName(h *creds.Hop) string {
	if h.SSO != nil {
		return h.SSO.RoleName
	}
	if _, role, ok := strings.Cut(h.RoleARN, ":role/"); ok {
		return role[strings.LastIndex(role, "/")+1:]
	}
	return ""
}

// shorten cuts s to n characters, marking the cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// escapeControls rewrites, as JSON escapes, each rune of data that
// untrusted.Text would not show as it is. In JSON such runes can only stand
// inside strings, where an escape means the same rune.
func escapeControls(data []byte) []byte {
	var out []byte
	done := 0
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf && data[i] != 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if s := string(data[i : i+size]); untrusted.Text(s) != s {
			out = append(out, data[done:i]...)
			out = fmt.Appendf(out, `\u%04x`, r)
			done = i + size
		}
		i += size
	}
	if out == nil {
		return data
	}
	return append(out, data[done:]...)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
