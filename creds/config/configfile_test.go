package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestProfileNamesReadByBotocore: every name CheckProfileName lets
// AppendProfile write, botocore (as the AWS CLI) reads back as that same
// profile. The names are drawn from an alphabet of the characters the INI
// format, shlex and terminals treat specially.
func TestProfileNamesReadByBotocore(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(python, "-c", "import botocore.session").Run()
	}
	if err != nil {
		t.Skipf("botocore is not installed (%v): install the AWS CLI v1 to run this test", err)
	}
	alphabet := []rune("ab-_.=,:/@+%!$&*(){}<>?|~`^ \t'\"\\[]#;\x1b\x7f\u00a0\u202eé名")
	rng := rand.New(rand.NewPCG(3, 5))
	dir := t.TempDir()
	var names []string
	var pairs [][2]string
	for i := 0; len(names) < 300 && i < 100000; i++ {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		name := b.String()
		if CheckProfileName(name) != nil || slices.Contains(names, name) {
			continue
		}
		path := filepath.Join(dir, fmt.Sprintf("config%d", len(names)))
		if err := AppendProfile(path, name); err != nil {
			t.Fatalf("AppendProfile(%q): %v", name, err)
		}
		names = append(names, name)
		pairs = append(pairs, [2]string{path, filepath.Join(dir, "none")})
	}
	input, _ := json.Marshal(pairs)
	cmd := exec.Command(python, filepath.Join("testdata", "botocore_read.py"))
	cmd.Env = append(os.Environ(), "PYTHONUTF8=1")
	cmd.Stdin = bytes.NewReader(input)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("botocore_read.py: %v", err)
	}
	var views []botocoreView
	if err := json.Unmarshal(out, &views); err != nil || len(views) != len(names) {
		t.Fatalf("botocore_read.py gave %d answers (%v) for %d names", len(views), err, len(names))
	}
	for i, name := range names {
		var got string
		if v := views[i]; v.Error != "" || len(v.Profiles) != 1 || json.Unmarshal(v.Profiles[0][0], &got) != nil || got != name {
			t.Errorf("profile %q written by AppendProfile: botocore read %+v", name, v)
		}
		if cfg, err := Load(pairs[i][0], pairs[i][1]); err != nil || len(cfg.ProfileNames()) != 1 || cfg.ProfileNames()[0] != name {
			t.Errorf("profile %q written by AppendProfile: hop read %v", name, err)
		}
	}
}

// TestReplaceFileRemovesStaleTemps: a temporary file a killed write left
// behind goes at the next write, once old enough that no write can still
// be making it; a young one, and any file not named as hop names them,
// stay.
func TestReplaceFileRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config")
	old := time.Now().Add(-2 * staleTempAge)
	files := map[string]bool{ // name: whether it should stay
		".config.hop-123456":            false,
		".config.hop-backup.hop-99":     true, // the backup's: its own write sweeps it
		".config.hop-654321":            true, // young: may be another write's
		".config.hop-12x":               true,
		".config.hop-":                  true,
		".other.hop-123":                true,
		".config.123.tmp":               true,
		"config.hop-123":                true,
		".config.hop-123456789-symlink": true,
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("copy"), 0o600); err != nil {
			t.Fatal(err)
		}
		if name != ".config.hop-654321" {
			if err := os.Chtimes(filepath.Join(dir, name), old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.Symlink(filepath.Join(dir, "config.hop-123"), filepath.Join(dir, ".config.hop-777")); err != nil {
		t.Fatal(err)
	}
	files[".config.hop-777"] = true // a link, not a file hop wrote
	if err := WriteFile(path, []byte("[default]\n")); err != nil {
		t.Fatal(err)
	}
	files["config"] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	left := map[string]bool{}
	for _, e := range entries {
		left[e.Name()] = true
		if !files[e.Name()] {
			t.Errorf("%s is left", e.Name())
		}
	}
	for name, stays := range files {
		if stays && !left[name] {
			t.Errorf("%s was removed", name)
		}
	}
}
