package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// AppendProfile adds an empty [profile NAME] section (or [default]) to the
// end of the config file at path, creating it if need be. Every byte
// already there stays as it was. The file is replaced in one rename, so a
// crash leaves the old file or the new one, never half of either.
func AppendProfile(path, name string) error {
	if err := CheckProfileName(name); err != nil {
		return err
	}
	// A config kept in a dotfiles repository is often a symlink: read
	// the file it points to, which WriteFile writes.
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	header := "[profile " + name + "]\n"
	if name == "default" {
		header = "[default]\n"
	}
	text := append([]byte(nil), old...)
	switch {
	case len(text) == 0:
	case text[len(text)-1] != '\n':
		text = append(text, '\n', '\n')
	default:
		text = append(text, '\n')
	}
	text = append(text, header...)
	if err := WriteFile(path, text); err != nil {
		return fmt.Errorf("adding %s: %w", header[:len(header)-1], err)
	}
	return nil
}
