// Package profilegen writes the profiles `hop sso sync` generates from
// Identity Center into the AWS config file: one clearly marked block per
// sso-session, which hop owns and rewrites, leaving every byte outside it
// as it was. It links no AWS SDK: it works on text.
package profilegen

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/hop-cli/hop/creds/config"
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
	// held is what the session's block in the file gives each name.
	held map[string]key
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
//
// Every assignment gets a profile, and the names do not depend on the
// order Identity Center lists them in:
//   - a name the block already gives an account's role stays that role's
//     while it is still one of the names the template gives it (renaming
//     the account, or changing the template, renames the profile);
//   - a name the block gives one account's role never goes to another
//     role or account in the same sync: Update drops it, and says so;
//   - otherwise each role gets the name the template makes, unless
//     another role makes it too, or it is taken: then every role that
//     wants it gets the name followed by "@" and its account ID (and, if
//     the template has no {role_name}, the role's).
func Plan(as []Assignment, o Options) (profiles []Profile, notes []string, err error) {
	tmpl := cmp.Or(o.Template, DefaultTemplate)
	if err := checkTemplate(tmpl); err != nil {
		return nil, nil, err
	}
	var valid []Assignment
	listed := map[key]int{}
	for _, a := range as {
		i, dup := listed[keyOf(a)]
		switch {
		case !validAssignment(a):
			notes = append(notes, fmt.Sprintf("Identity Center listed role %q in account %q, which are not an IAM role name and an account ID; skipped", a.RoleName, a.AccountID))
		case !dup:
			listed[keyOf(a)] = len(valid)
			valid = append(valid, a)
		case a.AccountName < valid[i].AccountName:
			// Listed twice under two names: the same one, whatever the
			// order.
			valid[i] = a
		}
	}
	slices.SortFunc(valid, func(a, b Assignment) int {
		return cmp.Or(strings.Compare(a.AccountID, b.AccountID), strings.Compare(a.RoleName, b.RoleName))
	})
	names := make([]string, len(valid))
	wants := make([][]string, len(valid))
	owner := map[string]int{}
	give := func(i int, name string) { names[i], owner[name] = name, i }
	// why says why name is not free for valid[i]: "" when it is.
	why := func(i int, name string) string {
		if j, ok := owner[name]; ok {
			return fmt.Sprintf("role %s in account %s's", valid[j].RoleName, valid[j].AccountID)
		}
		if o.taken != nil && o.taken(name) != "" {
			return o.taken(name)
		}
		if err := config.CheckProfileName(name); err != nil {
			return err.Error()
		}
		if k, ok := o.held[name]; ok && k != keyOf(valid[i]) {
			return fmt.Sprintf("role %s in account %s's until now", k.role, k.account)
		}
		return ""
	}
	for i, a := range valid {
		wants[i] = candidates(tmpl, a)
		for _, name := range wants[i] {
			if o.held[name] == keyOf(a) && why(i, name) == "" {
				give(i, name)
				break
			}
		}
	}
	for level := range nameLevels {
		count := map[string]int{}
		for i := range valid {
			if names[i] == "" {
				count[wants[i][level]]++
			}
		}
		for i := range valid {
			if name := wants[i][level]; names[i] == "" && name != "" && count[name] == 1 && why(i, name) == "" {
				give(i, name)
			}
		}
	}
	byPlain := map[string][]int{}
	for i := range valid {
		byPlain[wants[i][0]] = append(byPlain[wants[i][0]], i)
	}
	for i, a := range valid {
		plain := wants[i][0]
		switch {
		case names[i] == "":
			notes = append(notes, fmt.Sprintf("role %s in account %s: every name for it is taken (%s); skipped", a.RoleName, a.AccountID, strings.Join(wants[i], ", ")))
			continue
		case names[i] == plain || o.held[names[i]] == keyOf(a):
		case plain == "":
			notes = append(notes, fmt.Sprintf("role %s in account %s: the name template %q gives an empty name; it is profile %s", a.RoleName, a.AccountID, tmpl, names[i]))
		case why(i, plain) != "":
			notes = append(notes, fmt.Sprintf("role %s in account %s is profile %s: %s is %s", a.RoleName, a.AccountID, names[i], plain, why(i, plain)))
		default:
			var others []string
			for _, j := range byPlain[plain] {
				if j != i {
					others = append(others, fmt.Sprintf("role %s in account %s", valid[j].RoleName, valid[j].AccountID))
				}
			}
			notes = append(notes, fmt.Sprintf("role %s in account %s is profile %s: the template makes %s for %s too", a.RoleName, a.AccountID, names[i], plain, strings.Join(others, ", ")))
		}
		profiles = append(profiles, Profile{Name: names[i], Assignment: a})
	}
	slices.SortFunc(profiles, func(a, b Profile) int { return strings.Compare(a.Name, b.Name) })
	return profiles, notes, nil
}

// key is what a generated profile stands for: one role in one account.
type key struct{ account, role string }

func keyOf(a Assignment) key { return key{a.AccountID, a.RoleName} }

// nameLevels is how many names candidates gives each assignment.
const nameLevels = 4

// candidates are the names an assignment may get, the first free one
// taken: the template's, then with the account ID after an "@", then
// with the role too, and last with a digest of both, which only two roles
// whose names clean alike need.
func candidates(tmpl string, a Assignment) []string {
	plain := Name(tmpl, a)
	base := plain
	if base == "" {
		base = Name("{account_id}.{role_name}", a)
	}
	withID := base
	if base == plain && !strings.Contains(tmpl, "{account_id}") {
		withID += "@" + a.AccountID
	}
	withRole := withID
	if base == plain && !strings.Contains(tmpl, "{role_name}") {
		withRole += "." + clean(a.RoleName)
	}
	sum := sha256.Sum256([]byte(a.AccountID + "/" + a.RoleName))
	return []string{plain, withID, withRole, withRole + "-" + hex.EncodeToString(sum[:4])}
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

// maxAccountName is as much of an account's name as a generated name
// keeps: AWS allows 50 characters, and a portal that sent 5,000 made a
// profile name of 5,000. Two names cut alike are told apart as any clash
// is, by the account ID.
const maxAccountName = 64

// Name fills tmpl for a: lower case, with every run of characters that a
// shell word or the config file's section header would not take as they
// are replaced by "-", and no leading "-" (which would read as a flag).
func Name(tmpl string, a Assignment) string {
	// Each value is cleaned on its own, so "Prod [EU]" followed by "/"
	// gives "prod-eu/", not "prod-eu-/".
	account := clean(a.AccountName)
	if len(account) > maxAccountName {
		// clean leaves only ASCII: the cut splits no character.
		account = strings.TrimRight(account[:maxAccountName], "-")
	}
	return clean(strings.NewReplacer(
		"{account_name}", account,
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

// heldNames reads session's block in text: which role in which account
// each of its profiles stands for.
func heldNames(text, session string) map[string]key {
	held := map[string]key{}
	b, ok, err := find(text, session)
	if !ok || err != nil {
		return held
	}
	name := ""
	for line := range strings.Lines(text[b.start:b.end]) {
		t := strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(t, "[profile "); ok {
			name, _, _ = strings.Cut(rest, "]")
			name = strings.TrimSpace(name)
			held[name] = key{}
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		if !ok || name == "" {
			continue
		}
		switch h := held[name]; strings.ToLower(strings.TrimSpace(k)) {
		case "sso_account_id":
			h.account = strings.TrimSpace(v)
			held[name] = h
		case "sso_role_name":
			h.role = strings.TrimSpace(v)
			held[name] = h
		}
	}
	return held
}
