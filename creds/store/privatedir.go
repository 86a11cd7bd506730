package store

import (
	"fmt"
	"os"
)

// PrivateDir makes sure dir is the user's alone before a secret goes in:
// anyone else who can write there could swap a file for a link, and anyone
// who can read could copy it. dir is made if missing; someone else's
// directory is refused, since its owner could undo any check; the user's
// own is made 0700 if it is not (a directory made with mkdir is 0755), as
// refusing would fail for a mode hop can fix. With noLink, a link in dir's
// place is refused too. name is how errors call dir, and remedy what the
// user can do instead.
func PrivateDir(dir string, noLink bool, name, remedy string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w; %s", name, err, remedy)
	}
	stat := os.Stat
	if noLink {
		stat = os.Lstat
	}
	info, err := stat(dir)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a directory: remove it, or %s", name, remedy)
	}
	if uid, ok := fileOwner(info); ok && uid != os.Geteuid() {
		return fmt.Errorf("%s belongs to user %d, not to you; hop keeps secrets only in a directory of your own: %s", name, uid, remedy)
	}
	if info.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("%s is open to other users, and making it private failed: %w; run chmod 700 %s", name, err, dir)
		}
	}
	return nil
}
