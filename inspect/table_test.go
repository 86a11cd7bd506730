package inspect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/store"
	"github.com/hop-cli/hop/internal/bench"
	"github.com/hop-cli/hop/untrusted"
)

// tabwriterTable is the table as list printed it through text/tabwriter:
// WriteTable must print the same bytes.
func tabwriterTable(t *testing.T, rows []Row, cache Cache) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROFILE\tKIND\tCHAIN\tREGION\tSESSION")
	for _, r := range rows {
		session := "-"
		if r.Expires != nil {
			session = cache.left(*r.Expires) + " left"
		}
		chain := strings.Join(r.Chain, " <- ")
		switch {
		case r.KeyID != "":
			chain += " (key " + r.KeyID + ")"
		case r.keyNote != "":
			chain += " (" + r.keyNote + ")"
		}
		if r.Error != "" {
			chain = "! " + shorten(r.problem, maxProblem) + " (hop explain " + r.Profile + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", shorten(untrusted.Text(r.Profile), maxCell), r.Kind,
			shorten(untrusted.Text(chain), maxCell), shorten(untrusted.Text(dash(r.Region)), maxCell), session)
	}
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// indentedJSON is list --json as json.MarshalIndent writes the whole
// array at once: WriteJSON must print the same bytes.
func indentedJSON(t *testing.T, rows []Row) []byte {
	t.Helper()
	out := make([]jsonRow, len(rows))
	for i := range rows {
		out[i] = toJSON(&rows[i])
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(escapeControls(data), '\n')
}

// generatedList loads bench.WriteConfig's n profiles with extra after
// them, and a view of empty caches as of now.
func generatedList(t *testing.T, n int, extra string) (*config.Config, Cache) {
	t.Helper()
	configPath, credentialsPath, err := bench.WriteConfig(t.TempDir(), n)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(configPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(extra); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cfg, err := config.Load(configPath, credentialsPath)
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	getenv := func(name string) string {
		if name == "HOME" {
			return home
		}
		return ""
	}
	return cfg, Cache{Index: store.IndexFor(getenv), Tokens: creds.TokenCacheFor(getenv), Getenv: getenv, Now: time.Now()}
}

func TestTableAlignsAsTabwriter(t *testing.T) {
	// Wide and escaped names, errors, a long region: cells of every width.
	cfg, cache := generatedList(t, 300, "[profile 日本語-プロファイル]\nsso_session = org-1\nsso_account_id = 1\nsso_role_name = R\nregion = ünïcödé-ünïcödé-ünïcödé\n"+
		"[profile ctl\x1b]0;x\x07]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = team-1\nregion = eu-\u202ewest\n"+
		"[profile broken]\nrole_arn = nope\nsource_profile = team-1\n"+
		"[profile a-very-long-profile-name-that-is-wider-than-every-other-cell-in-its-column]\nsso_session = org-2\nsso_account_id = 2\nsso_role_name = R\n"+
		// A region past maxCell, cut among wide runes and escapes.
		"[profile long-region]\nsso_session = org-2\nsso_account_id = 3\nsso_role_name = R\nregion = "+strings.Repeat("ü", 150)+strings.Repeat("x\x1b", 100)+"\n")
	now := cache.Now
	rows := Rows(cfg, cache)
	// Sessions of several lengths, one expired, and a key ID.
	for i, left := range []time.Duration{90 * time.Minute, -time.Minute, 50 * time.Hour, 30 * time.Second} {
		exp := now.Add(left)
		rows[3*i+1].Expires = &exp
	}
	rows[5].KeyID = "AKIAEXAMPLEKEYID0001"
	var got bytes.Buffer
	if err := WriteTable(&got, rows, cache); err != nil {
		t.Fatal(err)
	}
	if want := tabwriterTable(t, rows, cache); !bytes.Equal(got.Bytes(), want) {
		t.Errorf("the table differs from tabwriter's:\n%s\nwant:\n%s", got.Bytes(), want)
	}
	if !strings.Contains(got.String(), "日本語") || !strings.Contains(got.String(), "! ") || !strings.Contains(got.String(), "x\\ex…") {
		t.Errorf("the table lacks the rows the test is about:\n%s", got.String())
	}
	for _, line := range strings.Split(got.String(), "\n") {
		if n := utf8.RuneCountInString(line); n > 3*maxCell+100 {
			t.Errorf("a line of %d runes: the cells are not cut", n)
		}
	}
	for _, rows := range [][]Row{rows, rows[:1], nil} {
		var js bytes.Buffer
		if err := WriteJSON(&js, rows); err != nil {
			t.Fatal(err)
		}
		if want := indentedJSON(t, rows); !bytes.Equal(js.Bytes(), want) {
			t.Errorf("list --json of %d rows differs from json.MarshalIndent's:\n%s\nwant:\n%s", len(rows), js.Bytes(), want)
		}
	}
}

// TestRowsResolveEachProfile: list shares the profiles among goroutines;
// each row must still be its profile's, in file order, as resolving that
// profile alone makes it.
func TestRowsResolveEachProfile(t *testing.T) {
	// An error, and a stored key's role, among them.
	cfg, cache := generatedList(t, 1000, "[profile broken]\nrole_arn = nope\nsource_profile = team-1\n[profile user]\n[profile on-user]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = user\n")
	rows := Rows(cfg, cache)
	names := cfg.ProfileNames()
	if len(rows) != len(names) || len(names) < 2*rowsPerWorker {
		t.Fatalf("%d rows of %d profiles; the test needs more than one goroutine's worth", len(rows), len(names))
	}
	for i, name := range names {
		r := rows[i]
		want := Row{Profile: name}
		if chain, err := creds.Resolve(cfg, name); err != nil {
			want.Kind, want.Error = "error", err.Error()
		} else {
			want.Kind, want.Chain, want.Region = string(chain.Target().Kind), chain.Parts(), chain.Region
			want.AccountID, want.Role = chain.Target().AccountID(), roleName(chain.Target())
		}
		if r.Profile != want.Profile || r.Kind != want.Kind || strings.Join(r.Chain, ",") != strings.Join(want.Chain, ",") ||
			r.Region != want.Region || r.AccountID != want.AccountID || r.Role != want.Role || r.Error != want.Error {
			t.Fatalf("row %d = %+v, want %+v", i, r, want)
		}
	}
}
