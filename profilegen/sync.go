package profilegen

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hop-cli/hop/creds/config"
)

// Result is what Update did to the file.
type Result struct {
	Profiles []Profile
	// Notes say which assignments got no profile, and why.
	Notes []string
	// Changed is false when the file already held this block.
	Changed bool
	// Diff is the change, for a dry run.
	Diff string
	// Backup names the copy of the previous file, once written.
	Backup string
}

// Update brings o.Session's block in the config file at path up to date
// with as. With write false it only works out the change (Diff); with
// write true it writes the file when, and only when, something changed.
func Update(path string, o Options, as []Assignment, write bool) (Result, error) {
	if err := checkRegion(o.Region); err != nil {
		return Result{}, err
	}
	old, err := Read(path)
	if err != nil {
		return Result{}, err
	}
	byHand, generated := Defined(old)
	o.taken = func(name string) string {
		session, inBlock := generated[name]
		switch {
		case byHand[name], !inBlock && o.Known != nil && o.Known(name):
			return "written by hand"
		case inBlock && session != o.Session:
			return "generated for sso-session " + session
		}
		return ""
	}
	o.held = heldNames(old, o.Session)
	var r Result
	if r.Profiles, r.Notes, err = Plan(as, o); err != nil {
		return Result{}, err
	}
	r.Notes = append(r.Notes, dropped(o.held, r.Profiles)...)
	blockText := ""
	if len(r.Profiles) > 0 {
		blockText = Block(o, r.Profiles)
	}
	text, err := Splice(old, o.Session, blockText)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", path, err)
	}
	if r.Changed = text != old; !r.Changed {
		if write {
			// Write sweeps what killed runs left; so does a run that
			// finds nothing to write.
			if target, err := filepath.EvalSymlinks(path); err == nil {
				path = target
			}
			config.RemoveStaleTemps(path)
			config.RemoveStaleTemps(path + BackupSuffix)
		}
		return r, nil
	}
	if !write {
		r.Diff = Diff(path, old, text)
		return r, nil
	}
	r.Backup, err = Write(path, old, text)
	return r, err
}

// checkRegion keeps a region that could not be one out of the file.
func checkRegion(region string) error {
	if strings.Trim(region, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		return fmt.Errorf("%q is not an AWS region name (such as us-east-1)", region)
	}
	return nil
}

// dropped says which of the names the block held are gone, and what
// became of the role each stood for: no name changes hands unannounced.
func dropped(held map[string]key, profiles []Profile) []string {
	now := map[key]string{}
	for _, p := range profiles {
		now[keyOf(p.Assignment)] = p.Name
	}
	var notes []string
	for _, name := range slices.Sorted(maps.Keys(held)) {
		k := held[name]
		switch next, ok := now[k]; {
		case next == name:
		case ok:
			notes = append(notes, fmt.Sprintf("profile %s (role %s in account %s) is now %s; %s is gone", name, k.role, k.account, next, name))
		case k.account == "" || k.role == "":
			notes = append(notes, fmt.Sprintf("profile %s is gone: it named no role and account", name))
		default:
			notes = append(notes, fmt.Sprintf("profile %s is gone: Identity Center no longer lists role %s in account %s for you", name, k.role, k.account))
		}
	}
	return notes
}
