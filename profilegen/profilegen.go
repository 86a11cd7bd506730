// Package profilegen writes the profiles `hop sso sync` generates from
// Identity Center into the AWS config file: one clearly marked block per
// sso-session, which hop owns and rewrites, leaving every byte outside it
// as it was. It links no AWS SDK: it works on text.
package profilegen

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/hop-cli/hop/creds"
)

// Assignment is one account and permission set the user may use, as
// Identity Center lists it.
type Assignment struct {
	AccountID   string
	AccountName string
	RoleName    string
}

// DefaultTemplate names generated profiles.
const DefaultTemplate = "{account_name}.{role_name}"

// Options say what a session's block holds.
type Options struct {
	Session string
	Region  string
	// Template names each profile; DefaultTemplate when empty.
	Template string
	// Known reports a profile the AWS config or credentials file
	// defines. One that hop's blocks do not define is the user's, and its
	// name is never generated.
	Known func(name string) bool

	// taken says why a name is not free ("" when it is), from the file's
	// text.
	taken func(name string) string
}

// Profile is one generated profile.
type Profile struct {
	Name string
	Assignment
}

// Markers delimit a session's block. They name the session, so several
// sessions' blocks live side by side.
func beginMarker(session string) string {
	return "# >>> hop sso sync: sso-session " + session + " >>>"
}

func endMarker(session string) string {
	return "# <<< hop sso sync: sso-session " + session + " <<<"
}

// Plan names the profiles for as, in name order, and says which it left
// out and why.
func Plan(as []Assignment, o Options) (profiles []Profile, notes []string, err error) {
	tmpl := cmp.Or(o.Template, DefaultTemplate)
	if err := checkTemplate(tmpl); err != nil {
		return nil, nil, err
	}
	byName := map[string]Assignment{}
	for _, a := range as {
		name := Name(tmpl, a)
		switch prev, dup := byName[name]; {
		case !validAssignment(a):
			notes = append(notes, fmt.Sprintf("Identity Center listed role %q in account %q, which are not an IAM role name and an account ID; skipped", a.RoleName, a.AccountID))
		case name == "":
			notes = append(notes, fmt.Sprintf("role %s in account %s: the name template %q gives an empty name; skipped", a.RoleName, a.AccountID, tmpl))
		case creds.CheckProfileName(name) != nil:
			notes = append(notes, fmt.Sprintf("role %s in account %s: %v; skipped", a.RoleName, a.AccountID, creds.CheckProfileName(name)))
		case dup:
			notes = append(notes, fmt.Sprintf("role %s in account %s and account %s both make the name %s: kept the first; put {account_id} in --name to tell them apart",
				a.RoleName, prev.AccountID, a.AccountID, name))
		case o.taken != nil && o.taken(name) != "":
			notes = append(notes, fmt.Sprintf("profile %s is %s: left as it is, not generated for role %s in account %s", name, o.taken(name), a.RoleName, a.AccountID))
		default:
			byName[name] = a
		}
	}
	for name, a := range byName {
		profiles = append(profiles, Profile{Name: name, Assignment: a})
	}
	slices.SortFunc(profiles, func(a, b Profile) int { return strings.Compare(a.Name, b.Name) })
	return profiles, notes, nil
}

// validAssignment checks what goes into the file unchanged: an account ID
// is 12 digits, and a role name has IAM's characters, so neither can
// break a line or a section of the config file.
func validAssignment(a Assignment) bool {
	if len(a.AccountID) != 12 || strings.Trim(a.AccountID, "0123456789") != "" {
		return false
	}
	if a.RoleName == "" || len(a.RoleName) > 64 {
		return false
	}
	for _, r := range a.RoleName {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+=,.@_-", r)) {
			return false
		}
	}
	return true
}

var placeholders = []string{"{account_name}", "{account_id}", "{role_name}"}

func checkTemplate(tmpl string) error {
	rest := tmpl
	for _, p := range placeholders {
		rest = strings.ReplaceAll(rest, p, "")
	}
	if strings.ContainsAny(rest, "{}") {
		return fmt.Errorf("the name template %q has an unknown placeholder; use %s", tmpl, strings.Join(placeholders, ", "))
	}
	return nil
}

// Name fills tmpl for a: lower case, with every run of characters that a
// shell word or the config file's section header would not take as they
// are replaced by "-", and no leading "-" (which would read as a flag).
func Name(tmpl string, a Assignment) string {
	// Each value is cleaned on its own, so "Prod [EU]" followed by "/"
	// gives "prod-eu/", not "prod-eu-/".
	return clean(strings.NewReplacer(
		"{account_name}", clean(a.AccountName),
		"{account_id}", clean(a.AccountID),
		"{role_name}", clean(a.RoleName),
	).Replace(tmpl))
}

func clean(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if safe(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// safe are the characters a generated name keeps: they need no quoting in
// any shell hop supports, and mean nothing in an INI section header.
func safe(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("._-/@+", r)
}

// Block renders a session's block.
func Block(o Options, profiles []Profile) string {
	var b strings.Builder
	b.WriteString(beginMarker(o.Session) + "\n")
	fmt.Fprintf(&b, "# Written by 'hop sso sync --sso-session %s', which rewrites this block: edit outside it.\n", o.Session)
	for _, p := range profiles {
		fmt.Fprintf(&b, "\n[profile %s]\nsso_session = %s\nsso_account_id = %s\nsso_role_name = %s\n", p.Name, o.Session, p.AccountID, p.RoleName)
		if o.Region != "" {
			fmt.Fprintf(&b, "region = %s\n", o.Region)
		}
	}
	b.WriteString("\n" + endMarker(o.Session) + "\n")
	return b.String()
}

// block is where a session's block sits in a file's text: [start, end)
// byte offsets, end past the end marker's line.
type block struct{ start, end int }

// find locates session's block in text; ok is false when it has none.
func find(text, session string) (b block, ok bool, err error) {
	begin, end := beginMarker(session), endMarker(session)
	b = block{-1, -1}
	off := 0
	for line := range strings.Lines(text) {
		switch strings.TrimSpace(line) {
		case begin:
			if b.start >= 0 {
				return block{}, false, fmt.Errorf("the block for sso-session %s appears twice; remove one copy, from %q to %q", session, begin, end)
			}
			b.start = off
		case end:
			if b.start < 0 || b.end >= 0 {
				return block{}, false, fmt.Errorf("the block for sso-session %s has an end marker %q without its start; fix the file by hand", session, end)
			}
			b.end = off + len(line)
		}
		off += len(line)
	}
	switch {
	case b.start < 0:
		return block{}, false, nil
	case b.end < 0:
		return block{}, false, fmt.Errorf("the block for sso-session %s has no end marker %q; fix the file by hand", session, end)
	}
	return b, true, nil
}

// Splice puts blockText in place of session's block in text, or appends it
// when there is none; an empty blockText removes the block. Every byte
// outside the block stays as it was.
func Splice(text, session, blockText string) (string, error) {
	b, ok, err := find(text, session)
	if err != nil {
		return "", err
	}
	if ok {
		return text[:b.start] + blockText + text[b.end:], nil
	}
	if blockText == "" {
		return text, nil
	}
	switch {
	case text == "":
	case strings.HasSuffix(text, "\n\n"):
	case strings.HasSuffix(text, "\n"):
		text += "\n"
	default:
		text += "\n\n"
	}
	return text + blockText, nil
}

// Defined names the profiles text defines: by hand (outside every hop
// block), and in hop's blocks, with the session of the block.
func Defined(text string) (byHand map[string]bool, generated map[string]string) {
	byHand, generated = map[string]bool{}, map[string]string{}
	session := ""
	for line := range strings.Lines(text) {
		t := strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(t, "# >>> hop sso sync: sso-session "); ok {
			session = strings.TrimSuffix(rest, " >>>")
			continue
		}
		if strings.HasPrefix(t, "# <<< hop sso sync: ") {
			session = ""
			continue
		}
		if !strings.HasPrefix(t, "[") {
			continue
		}
		header, _, _ := strings.Cut(t[1:], "]")
		header = strings.TrimSpace(header)
		name := ""
		if header == "default" {
			name = header
		} else if rest, ok := strings.CutPrefix(header, "profile"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			name = strings.TrimSpace(rest)
		}
		switch {
		case name == "":
		case session != "":
			generated[name] = session
		default:
			byHand[name] = true
		}
	}
	return byHand, generated
}
