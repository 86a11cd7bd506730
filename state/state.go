// Package state keeps hop's small, non-secret memory between runs under the
// XDG state directory: the profiles picked most recently, and the account
// names Identity Center gave the last `hop sso sync`, for the picker to
// show. Losing it costs nothing but order and names.
package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// maxRecent bounds the history: the picker needs an order, not a log.
const maxRecent = 200

// maxFile bounds what Load reads: a state file is a few kilobytes.
const maxFile = 4 << 20

// Dir is hop's state directory: $XDG_STATE_HOME/hop, by default
// ~/.local/state/hop.
func Dir(getenv func(string) string) string {
	if d := getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "hop")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".local", "state", "hop")
}

// State is what the file holds.
type State struct {
	// Recent are profile names, most recently picked first.
	Recent []string `json:"recent,omitempty"`
	// Accounts maps account IDs to their names.
	Accounts map[string]string `json:"accounts,omitempty"`
}

// File is the state file in a directory.
type File struct{ Path string }

// For is the state file for an environment.
func For(getenv func(string) string) File {
	return File{Path: filepath.Join(Dir(getenv), "state.json")}
}

// Load reads the state; a missing or unreadable file is an empty state,
// since nothing in it is worth failing a command for.
func (f File) Load() State {
	var s State
	file, err := os.Open(f.Path)
	if err != nil {
		return s
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxFile))
	if err != nil || json.Unmarshal(data, &s) != nil {
		return State{}
	}
	return s
}

// Update changes the state under change and writes it back, 0600 in a 0700
// directory, by renaming a new file into place.
func (f File) Update(change func(*State)) error {
	s := f.Load()
	change(&s)
	if len(s.Recent) > maxRecent {
		s.Recent = s.Recent[:maxRecent]
	}
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	dir := filepath.Dir(f.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".state-*")
	if err != nil {
		return fmt.Errorf("writing hop's state in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", tmp.Name(), err)
	}
	return os.Rename(tmp.Name(), f.Path)
}

// Used moves profile to the front of s.Recent.
func (s *State) Used(profile string) {
	s.Recent = slices.DeleteFunc(s.Recent, func(p string) bool { return p == profile })
	s.Recent = slices.Insert(s.Recent, 0, profile)
}
