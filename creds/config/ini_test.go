package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestManyDefaultsAreRefused: [DEFAULT]'s keys are copied into every
// section, so a small file of many defaults and many sections is refused,
// naming the file and line, before it fills the memory; a few defaults
// over as many sections are read.
func TestManyDefaultsAreRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config")
	text := func(defaults int) string {
		var b strings.Builder
		b.WriteString("[profile first]\nregion = x\n[DEFAULT]\n")
		for i := range defaults {
			fmt.Fprintf(&b, "k%d = v\n", i)
		}
		for i := range 3000 {
			fmt.Fprintf(&b, "[profile p%d]\nregion = x\n", i)
		}
		return b.String()
	}
	if err := os.WriteFile(path, []byte(text(3000)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, "")
	if err == nil || !strings.HasPrefix(err.Error(), path+":3: [DEFAULT]'s 3000 keys") {
		t.Fatalf("Load: %v; want the [DEFAULT] section refused", err)
	}
	if err := os.WriteFile(path, []byte(text(3)), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := cfg.Profile("p2999"); !ok || p.Get("k2") != "v" {
		t.Errorf("p2999 = %v; want the default k2 = v", p)
	}
}
