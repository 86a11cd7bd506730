package creds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/creds/config"
)

// maxNamesPerInput bounds how many of an input's profiles are resolved, so
// a generated config with thousands of profiles stays quick to check.
const maxNamesPerInput = 20

// FuzzResolve feeds generated config and credentials files through
// config.Load and Resolve. Whatever the input, neither may panic or loop;
// a chain that resolves must be well formed, and an error must name the
// file, the profile and the key it is about. The seed corpus is in
// testdata/fuzz/FuzzResolve.
func FuzzResolve(f *testing.F) {
	f.Add([]byte(scenario), []byte(nil), "requires3")
	// One directory for all inputs: a fresh one each time costs more than
	// the parse. Inputs run one at a time in each fuzzing process.
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, text, credentials []byte, profile string) {
		_, _ = checkFiles(t, dir, text, credentials, profile)
	})
}

// TestResolveLargeConfigs runs the fuzz checks on inputs too big to be
// worth mutating: they would slow the fuzzer to a crawl.
func TestResolveLargeConfigs(t *testing.T) {
	keys := "[many]\naws_access_key_id = A\naws_secret_access_key = B\n"
	tests := []struct {
		name, config, credentials, profile string
		// want is the number of hops, or else an error it reports.
		want any
	}{
		{"deep chain", deepChain(31, "aws_access_key_id = A\naws_secret_access_key = B"), "", "p0", 32},
		{"too deep a chain", deepChain(1000, "aws_access_key_id = A\naws_secret_access_key = B"), "", "p0", "chain is longer than 32 profiles"},
		{"deep cycle", deepChain(20, "role_arn = arn:aws:iam::1:role/R\nsource_profile = p0"), "", "p0", "source_profile loop: p0 -> p1 -> p2"},
		{"too deep a cycle", deepChain(1000, "role_arn = arn:aws:iam::1:role/R\nsource_profile = p0"), "", "p0", "chain is longer than 32 profiles"},
		{"a 2 MiB line", "[profile big]\nregion = " + strings.Repeat("x", 2<<20) + "\n" + keys[len("[many]\n"):], "", "big", 1},
		{"many keys", manyKeys(50000), keys, "many", 1},
		{"many profiles", manyProfiles(20000), "", "q19999", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := checkFiles(t, t.TempDir(), []byte(tt.config), []byte(tt.credentials), tt.profile)
			var chain *Chain
			if err == nil {
				chain, err = Resolve(cfg, tt.profile)
			}
			switch want := tt.want.(type) {
			case int:
				if err != nil || len(chain.Hops) != want {
					t.Errorf("Resolve(%q) = %v, %v; want %d hops", tt.profile, chain, err, want)
				}
			case string:
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("Resolve(%q) error %v, want one saying %q", tt.profile, err, want)
				}
			}
		})
	}
}

// checkFiles writes the two files into dir, loads them, and checks Resolve
// on the profile given and on the first profiles defined. It returns what
// config.Load did.
func checkFiles(t *testing.T, dir string, text, credentials []byte, profile string) (*config.Config, error) {
	cp, kp := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	if err := os.WriteFile(cp, text, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(kp, credentials, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cp, kp)
	if err != nil {
		if !strings.Contains(err.Error(), cp) && !strings.Contains(err.Error(), kp) {
			t.Fatalf("config.Load error %q names neither file", err)
		}
		return nil, err
	}
	names := cfg.ProfileNames()
	if len(names) > maxNamesPerInput {
		names = names[:maxNamesPerInput]
	}
	for _, name := range append(names, profile) {
		checkResolve(t, cfg, name)
	}
	return cfg, nil
}

func checkResolve(t *testing.T, cfg *config.Config, name string) {
	chain, err := Resolve(cfg, name)
	if err != nil {
		checkResolveError(t, name, err)
		return
	}
	hops := chain.Hops
	switch {
	case chain.Profile != name || len(hops) == 0 || chain.Target().Profile != name:
		t.Fatalf("Resolve(%q) = %+v: not a chain ending at the profile asked for", name, chain)
	case hops[0].Kind == KindRole:
		t.Fatalf("Resolve(%q) starts at a role hop: %s", name, chain)
	case len(hops) > 2*len(cfg.ProfileNames()):
		// Each profile contributes at most a role hop and, when it is
		// its own source, a static hop: more means a loop got through.
		t.Fatalf("Resolve(%q) has %d hops for %d profiles: %s", name, len(hops), len(cfg.ProfileNames()), chain)
	case chain.String() == "":
		t.Fatalf("Resolve(%q) renders as nothing", name)
	}
	for i, h := range hops {
		if i > 0 && h.Kind != KindRole {
			t.Fatalf("Resolve(%q): hop %d is %s, want a role: only the source is not a role", name, i, h.Kind)
		}
		if h.Kind == KindSSO && (h.SSO == nil || h.SSO.StartURL == "" || h.SSO.Region == "" || h.SSO.AccountID == "" || h.SSO.RoleName == "") {
			t.Fatalf("Resolve(%q): SSO hop %d lacks settings: %+v", name, i, h.SSO)
		}
		if chain.chained(i) && h.Duration > time.Hour {
			t.Fatalf("Resolve(%q): chained role %s asks for %s", name, h.Profile, h.Duration)
		}
	}
	// Cache keys are derived from the chain alone, and name the hop. (A
	// key digests every hop below it: checking each would be quadratic.)
	noEnv := func(string) string { return "" }
	for _, i := range []int{0, len(hops) - 1} {
		if key := SessionKey(chain, i, noEnv); !strings.HasPrefix(key, KeyPrefix+hops[i].Profile+":") {
			t.Fatalf("Resolve(%q): cache key %q for hop %d of profile %s", name, key, i, hops[i].Profile)
		}
		// The key is what it was when json.Marshal wrote the document.
		doc := keyDocOf(chain, i, noEnv)
		if want, err := json.Marshal(doc); err != nil || !bytes.Equal(doc.append(nil), want) {
			t.Fatalf("Resolve(%q): hop %d's key document is\n%s\njson.Marshal writes\n%s %v", name, i, doc.append(nil), want, err)
		}
	}
	if again, err := Resolve(cfg, name); err != nil || again.String() != chain.String() {
		t.Fatalf("Resolve(%q) is not deterministic: %s, then %v %v", name, chain, again, err)
	}
}

func checkResolveError(t *testing.T, name string, err error) {
	var ce *config.Error
	if !errors.As(err, &ce) {
		t.Fatalf("Resolve(%q) error %q (%T) is not a configuration *Error", name, err, err)
	}
	msg := err.Error()
	if strings.ContainsRune(msg, '\n') {
		// It ends up as one line on stderr: values are quoted.
		t.Fatalf("Resolve(%q) error spans lines: %q", name, msg)
	}
	if ce.File == "" || !strings.Contains(msg, ce.File) {
		t.Fatalf("Resolve(%q) error %q does not name the file", name, msg)
	}
	if ce.Profile != "" && !strings.Contains(msg, fmt.Sprintf("profile %s:", ce.Profile)) {
		t.Fatalf("Resolve(%q) error %q does not name profile %s", name, msg, ce.Profile)
	}
	if ce.Key != "" && !strings.Contains(msg, ce.Key) {
		t.Fatalf("Resolve(%q) error %q does not name key %s", name, msg, ce.Key)
	}
}

// deepChain is n role profiles, each the source of the one before, and a
// last profile with the settings in end.
func deepChain(n int, end string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[profile p%d]\nrole_arn = arn:aws:iam::123412341234:role/R%d\nsource_profile = p%d\n\n", i, i, i+1)
	}
	fmt.Fprintf(&b, "[profile p%d]\n%s\n", n, end)
	return b.String()
}

// manyKeys is one profile with n settings.
func manyKeys(n int) string {
	var b strings.Builder
	b.WriteString("[profile many]\n")
	for i := range n {
		fmt.Fprintf(&b, "key%d = value%d\n", i, i)
	}
	return b.String()
}

// manyProfiles is n profiles, each with static keys.
func manyProfiles(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[profile q%d]\naws_access_key_id = A%d\naws_secret_access_key = B\n", i, i)
	}
	return b.String()
}
