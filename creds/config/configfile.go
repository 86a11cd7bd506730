package config

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// staleTempAge is how old a temporary file of ReplaceFile's must be for
// a later run to remove it: one still being written is seconds old.
const staleTempAge = time.Hour

// WriteFile replaces the AWS config file at path, or the file a
// symlink there points at (a config kept in a dotfiles repository), with
// data, keeping its mode; a new file is 0600. It is the one writer of the
// config file.
func WriteFile(path string, data []byte) error {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	mode := fs.FileMode(0o600)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	if err := ReplaceFile(path, data, mode); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// ReplaceFile writes data to a temporary file beside path and renames it
// over path, so a reader sees the old file or the new one, never a mix.
// The temporary file is 0600 while it is written, and gets mode only
// once whole; one a killed run left behind (a full copy of the file) is
// removed by the next.
func ReplaceFile(path string, data []byte, mode fs.FileMode) error {
	dir, base := filepath.Dir(path), filepath.Base(path)
	removeStaleTemps(dir, base, time.Now())
	f, err := os.CreateTemp(dir, tempPrefix(base)+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing left to remove
	if _, err := f.Write(data); err != nil {
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
	if mode != 0o600 {
		if err := os.Chmod(tmp, mode); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		// The rename is durable only once the directory is synced.
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// tempPrefix starts ReplaceFile's temporary files for base; os.CreateTemp
// ends them in decimal digits.
func tempPrefix(base string) string { return "." + base + ".hop-" }

// RemoveStaleTemps removes what ReplaceFile's killed runs left beside
// path, for a run that finds nothing to write.
func RemoveStaleTemps(path string) {
	removeStaleTemps(filepath.Dir(path), filepath.Base(path), time.Now())
}

// removeStaleTemps removes ReplaceFile's temporary files for base in dir
// older than staleTempAge: regular files named as it names them, and no
// other. Failing to is no reason to fail the write.
func removeStaleTemps(dir, base string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := tempPrefix(base)
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || rest == "" || strings.Trim(rest, "0123456789") != "" || !e.Type().IsRegular() {
			continue
		}
		if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > staleTempAge {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
