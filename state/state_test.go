package state

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestDir(t *testing.T) {
	env := map[string]string{"HOME": "/home/u"}
	getenv := func(k string) string { return env[k] }
	if got := Dir(getenv); got != "/home/u/.local/state/hop" {
		t.Errorf("default: %s", got)
	}
	env["XDG_STATE_HOME"] = "relative/is/ignored"
	if got := Dir(getenv); got != "/home/u/.local/state/hop" {
		t.Errorf("relative XDG_STATE_HOME: %s", got)
	}
	env["XDG_STATE_HOME"] = "/xdg"
	if got := Dir(getenv); got != "/xdg/hop" {
		t.Errorf("XDG_STATE_HOME: %s", got)
	}
}

func TestUpdate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "hop")
	f := File{Path: filepath.Join(dir, "state.json")}
	if s := f.Load(); len(s.Recent) != 0 {
		t.Fatalf("a missing file loads as %+v", s)
	}
	for _, p := range []string{"a", "b", "a", "c"} {
		if err := f.Update(func(s *State) { s.Used(p) }); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.Load().Recent; !slices.Equal(got, []string{"c", "a", "b"}) {
		t.Errorf("recent %q", got)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, f.Path: 0o600} {
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: %v %v, want %v", path, info.Mode(), err, want)
		}
	}
	if err := os.WriteFile(f.Path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s := f.Load(); len(s.Recent) != 0 {
		t.Errorf("a damaged file loads as %+v", s)
	}
}
