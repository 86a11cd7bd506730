package profilegen

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/aymanbagabas/go-udiff"
)

// BackupSuffix names the copy of the previous file that Write leaves
// beside it.
const BackupSuffix = ".hop-backup"

// Read returns the config file's text; a missing file reads as empty.
func Read(path string) (string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	return string(data), nil
}

// Diff is the change from old to new as a unified diff.
func Diff(path, old, new string) string {
	return udiff.Unified(path, path+" (after sync)", old, new)
}

// Write replaces the file at path (through a symlink, the file it points
// at) with text, atomically: a reader sees the old file or the new one,
// never a mix. The previous contents, when there were any, are kept beside
// it in path+BackupSuffix, whose name it returns.
func Write(path, old, text string) (backup string, err error) {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	mode := fs.FileMode(0o600)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	if old != "" {
		backup = path + BackupSuffix
		if err := replace(backup, old, 0o600); err != nil {
			return "", fmt.Errorf("keeping a backup of %s: %w", path, err)
		}
	}
	if err := replace(path, text, mode); err != nil {
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	return backup, nil
}

// replace writes text to a temporary file beside path and renames it over
// path.
func replace(path, text string, mode fs.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".hop-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing left to remove
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		// The rename is durable only once the directory is synced.
		_ = d.Sync()
		d.Close()
	}
	return nil
}
