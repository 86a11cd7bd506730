package profilegen

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/aymanbagabas/go-udiff"
	"github.com/hop-cli/hop/creds/config"
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
	if old != "" {
		backup = path + BackupSuffix
		if err := config.ReplaceFile(backup, []byte(old), 0o600); err != nil {
			return "", fmt.Errorf("keeping a backup of %s: %w", path, err)
		}
	}
	return backup, config.WriteFile(path, []byte(text))
}
