package inspect

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/hop-cli/hop/creds"
)

// Row is one profile in `hop list`.
type Row struct {
	Profile string `json:"profile"`
	Kind    string `json:"kind"`
	Chain   string `json:"chain"`
	Region  string `json:"region,omitempty"`
	// KeyID is the access key ID of the stored key the chain starts at,
	// when it can be read without a prompt.
	KeyID string `json:"key_id,omitempty"`
	// Expires is set when a session is cached for the profile.
	Expires *time.Time `json:"expires,omitempty"`
	Error   string     `json:"error,omitempty"`
	// problem is the error without its file and hint, to fit a table.
	problem string
	// keyNote says, for the table, when a chain's stored key is missing.
	keyNote string
}

// Rows resolves every profile in cfg, in file order.
func Rows(cfg *creds.Config, cache Cache) []Row {
	entries := cache.Index.Entries()
	// A session key digests the whole chain: compute it only for profiles
	// the index holds a session for, not for every profile listed.
	indexed := make(map[string]bool, len(entries))
	for _, e := range entries {
		indexed[e.Profile] = true
	}
	names := cfg.ProfileNames()
	rows := make([]Row, 0, len(names))
	// Each stored key is read once, however many roles start at it.
	keyIDs := map[string]string{}
	for _, name := range names {
		row := Row{Profile: name}
		chain, err := creds.Resolve(cfg, name)
		if err != nil {
			row.Kind, row.Error, row.problem = "error", err.Error(), err.Error()
			var cerr *creds.Error
			if errors.As(err, &cerr) {
				row.problem = cerr.Msg
			}
			rows = append(rows, row)
			continue
		}
		t := len(chain.Hops) - 1
		row.Kind, row.Chain, row.Region = string(chain.Hops[t].Kind), chain.String(), chain.Region
		if root := chain.Hops[0]; root.Kind == creds.KindStored {
			if _, ok := keyIDs[root.Profile]; !ok {
				keyIDs[root.Profile], _ = creds.PeekStoredKeyID(root.Profile, cache.Getenv)
			}
			row.KeyID = keyIDs[root.Profile]
			if row.KeyID == "" && cache.peekable() && !creds.Holds(creds.StoredKeyItem(root.Profile), cache.Getenv) {
				row.keyNote = "no key stored"
			}
		}
		if indexed[name] && chain.Hops[t].Cacheable() {
			if e, ok := entries[creds.SessionKey(chain, t, cache.Getenv)]; ok && e.Expires.After(cache.Now) {
				exp := e.Expires
				row.Expires = &exp
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// WriteTable prints rows as an aligned table.
func WriteTable(w io.Writer, rows []Row, cache Cache) error {
	// tabwriter writes each cell and each run of padding separately: one
	// system call apiece on an unbuffered stdout, which cost more than all
	// of list's other work together at 10,000 profiles.
	out := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROFILE\tKIND\tCHAIN\tREGION\tSESSION")
	for _, r := range rows {
		session := "-"
		if r.Expires != nil {
			session = cache.left(*r.Expires) + " left"
		}
		chain := r.Chain
		switch {
		case r.KeyID != "":
			chain += " (key " + r.KeyID + ")"
		case r.keyNote != "":
			chain += " (" + r.keyNote + ")"
		}
		if r.Error != "" {
			chain = "! " + r.problem
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Profile, r.Kind, chain, dash(r.Region), session)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return out.Flush()
}

// WriteJSON prints rows for scripts.
func WriteJSON(w io.Writer, rows []Row) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
