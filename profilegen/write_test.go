package profilegen

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteThroughASymlink: a config file kept elsewhere (a dotfiles
// repository) stays a symlink; the file it points at is replaced, keeping
// its mode, with the backup beside it.
func TestWriteThroughASymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "aws-config")
	link := filepath.Join(dir, "config")
	if err := os.MkdirAll(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("old\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	backup, err := Write(link, "old\n", "new\n")
	if err != nil {
		t.Fatal(err)
	}
	if target, err := os.Readlink(link); err != nil || target != real {
		t.Errorf("the link now points at %q (%v)", target, err)
	}
	if data, _ := os.ReadFile(real); string(data) != "new\n" {
		t.Errorf("the file holds %q", data)
	}
	if info, _ := os.Stat(real); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", info.Mode())
	}
	if backup != real+BackupSuffix {
		t.Errorf("backup %q", backup)
	}
	if data, _ := os.ReadFile(backup); string(data) != "old\n" {
		t.Errorf("the backup holds %q", data)
	}
	if info, _ := os.Stat(backup); info.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v, want 0600", info.Mode())
	}
	entries, _ := os.ReadDir(filepath.Dir(real))
	if len(entries) != 2 {
		t.Errorf("left behind: %v", entries)
	}
}
