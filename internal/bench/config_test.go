package bench

import (
	"testing"

	"github.com/hop-cli/hop/completions"
	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
)

// TestWriteConfigResolves checks that the generated profiles are what the
// figures claim: n of them, every one but [default] a chain hop resolves
// to the kinds the figures name ([default] takes a stored key).
func TestWriteConfigResolves(t *testing.T) {
	const n = 1000
	configPath, credentialsPath, err := WriteConfig(t.TempDir(), n)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(configPath, credentialsPath)
	if err != nil {
		t.Fatal(err)
	}
	names := cfg.ProfileNames()
	if len(names) != n {
		t.Fatalf("%d profiles, want %d", len(names), n)
	}
	kinds := map[creds.Kind]int{}
	for _, name := range names {
		chain, err := creds.Resolve(cfg, name)
		if name == "default" {
			// It sets only a region, so it would take a key stored by hop add.
			if err != nil || chain.Target().Kind != creds.KindStored {
				t.Errorf("[default], which sets only a region, resolved to %v, %v; want a stored-key root", chain, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("profile %s: %v", name, err)
		}
		kinds[chain.Target().Kind]++
	}
	for _, k := range []creds.Kind{creds.KindSSO, creds.KindRole, creds.KindStatic} {
		if kinds[k] < n/20 {
			t.Errorf("only %d %s profiles of %d", kinds[k], k, n)
		}
	}
	listed, err := completions.ProfileNames(configPath, credentialsPath)
	if err != nil || len(listed) != n {
		t.Errorf("completion lists %d profiles (%v), want %d", len(listed), err, n)
	}
}
