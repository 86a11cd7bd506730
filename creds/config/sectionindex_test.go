package config

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hop-cli/hop/internal/testenv"
)

// later makes every file old enough to index.
var later = time.Now().Add(time.Hour)

// FuzzIndexAgreesWithFullParse loads the same files through the index and
// in full, and compares every answer hop takes from a config: profiles,
// their keys and files, chains, regions, cache keys and endpoints.
func FuzzIndexAgreesWithFullParse(f *testing.F) {
	for _, c := range iniTable {
		f.Add([]byte(c.config), []byte(c.credentials), "a")
	}
	f.Add([]byte(testenv.Config), []byte("[example]\nregion = x\n"), "requires3")
	f.Add([]byte(organisation(300)), []byte("[team-7]\naws_access_key_id = A\naws_secret_access_key = B\n"), "team-9")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, config, credentials []byte, profile string) {
		paths := writePair(t, dir, config, credentials)
		indexDir := filepath.Join(dir, "index")
		os.RemoveAll(indexDir)
		full, err := Load(paths[0], paths[1])
		first, ferr := loadIndexed(paths[0], paths[1], indexDir, later)
		if (err == nil) != (ferr == nil) || err != nil && err.Error() != ferr.Error() {
			t.Fatalf("Load: %v; through the index: %v", err, ferr)
		}
		if err != nil {
			return
		}
		compareConfigs(t, full, first, profile)
		indexed, err := loadIndexed(paths[0], paths[1], indexDir, later)
		if err != nil {
			t.Fatalf("the second load, through the index: %v", err)
		}
		if indexed.lazy == nil && !strings.Contains(string(config)+string(credentials), "DEFAULT") {
			t.Fatalf("the second load did not use the index")
		}
		compareConfigs(t, full, indexed, profile)
		if indexed.mismatch != nil || indexed.Err() != nil {
			t.Fatalf("a read through a fresh index did not check out (%v, %v)", indexed.mismatch, indexed.Err())
		}
		// Each question asked first, of a config nothing else was asked
		// of: what an earlier question loaded must not be what answers.
		for _, q := range questions(full, profile) {
			fresh, err := loadIndexed(paths[0], paths[1], indexDir, later)
			if err != nil {
				t.Fatalf("loading through the index: %v", err)
			}
			a, b := q.ask(full), q.ask(fresh)
			fresh.close()
			if a != b {
				t.Fatalf("%s, asked first: %s in full, %s through the index", q.name, a, b)
			}
		}
	})
}

// close lets go of the files a read through the index holds open.
func (c *Config) close() {
	if c.lazy != nil {
		c.lazy.close()
	}
}

// question is one thing a Config answers, its answer rendered as text.
type question struct {
	name string
	ask  func(*Config) string
}

// questions are every question a Config's exported methods answer, about
// the names full defines, profile, and names it does not define.
func questions(full *Config, profile string) []question {
	qs := []question{
		{"ProfileNames()", func(c *Config) string { return fmt.Sprint(c.ProfileNames()) }},
		{"Profiles()", func(c *Config) string {
			var b strings.Builder
			for _, p := range c.Profiles() {
				b.WriteString(describeProfile(c, p, true))
			}
			return b.String()
		}},
		{"SSOSessionNames()", func(c *Config) string { return fmt.Sprint(c.SSOSessionNames()) }},
		{"Err()", func(c *Config) string { return fmt.Sprint(c.Err()) }},
		{"ConfigFileMissing()", func(c *Config) string { return fmt.Sprint(c.ConfigFileMissing()) }},
	}
	names := full.ProfileNames()
	if len(names) > maxNamesPerInput {
		names = names[:maxNamesPerInput]
	}
	for _, name := range append(names, profile, "default", "absent") {
		qs = append(qs,
			question{fmt.Sprintf("Profile(%q)", name), func(c *Config) string {
				p, ok := c.Profile(name)
				return describeProfile(c, p, ok)
			}},
			question{fmt.Sprintf("Nearest(%q)", name+"x"), func(c *Config) string { return c.Nearest(name + "x") }},
			question{fmt.Sprintf("Endpoint(%q)", name), func(c *Config) string {
				return fmt.Sprint(c.Endpoint(name, ServiceSTS, noEnv), c.Endpoint(name, ServiceSSO, noEnv), c.Endpoint(name, ServiceSSOOIDC, noEnv))
			}},
		)
	}
	for _, name := range append(full.SSOSessionNames(), "absent") {
		qs = append(qs,
			question{fmt.Sprintf("SSOSession(%q)", name), func(c *Config) string {
				s, ok := c.SSOSession(name)
				return fmt.Sprint(unflatten(s), ok)
			}},
			question{fmt.Sprintf("SessionSettings(%q)", name), func(c *Config) string {
				s, err := c.SessionSettings(name)
				if err != nil {
					return err.Error()
				}
				return fmt.Sprintf("%+v", *s)
			}},
		)
	}
	for _, name := range append(slices.Sorted(maps.Keys(full.services)), "absent") {
		qs = append(qs, question{fmt.Sprintf("Services(%q)", name), func(c *Config) string {
			s, ok := c.Services(name)
			return fmt.Sprint(unflatten(s), ok)
		}})
	}
	return qs
}

// describeProfile renders a profile: its name, settings and the file of
// each.
func describeProfile(c *Config, p *Profile, ok bool) string {
	if !ok {
		return "none"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%q %v", p.Name, unflatten(p.Settings))
	for _, kv := range p.Settings {
		fmt.Fprintf(&b, " %q:%s", kv.Key, c.FileOf(p, kv.Key))
	}
	return b.String() + "\n"
}

// TestDamagedIndexNeverChangesAnAnswer flips bytes all over an index: each
// load then answers as the full parse does, the damage found either when
// the index is opened or when a lookup reads it.
func TestDamagedIndexNeverChangesAnAnswer(t *testing.T) {
	dir := t.TempDir()
	paths := writePair(t, dir, []byte(organisation(12)), []byte("[team-3]\nregion = x\n[static]\naws_access_key_id = A\naws_secret_access_key = B\n"))
	indexDir := filepath.Join(dir, "index")
	full, err := Load(paths[0], paths[1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadIndexed(paths[0], paths[1], indexDir, later); err != nil {
		t.Fatal(err)
	}
	indexPath := filepath.Join(indexDir, indexName(paths))
	good, err := os.ReadFile(indexPath)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	used, caught := 0, 0
	for pos := range good {
		damaged := append([]byte(nil), good...)
		damaged[pos] ^= byte(1 + rng.IntN(255))
		if err := os.WriteFile(indexPath, damaged, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := loadIndexed(paths[0], paths[1], indexDir, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		opened := cfg.lazy != nil
		if !compareQuietly(full, cfg) {
			t.Fatalf("with byte %d of the index damaged, hop answered differently", pos)
		}
		switch {
		case opened && cfg.mismatch != nil:
			caught++
		case opened:
			used++
		}
	}
	// Damage in a slot no lookup reads leaves the index in use.
	t.Logf("of %d single-byte damages, %d were caught opening the index, %d by a lookup, %d never read",
		len(good), len(good)-caught-used, caught, used)
	if caught == 0 || used == len(good) {
		t.Error("no damage was caught: the test does not reach the checks")
	}
}

// TestStaleIndexIsNotUsed rewrites the config with the same size and
// modification time: the change time still tells it apart.
func TestStaleIndexIsNotUsed(t *testing.T) {
	dir := t.TempDir()
	paths := writePair(t, dir, []byte("[profile a]\nregion = eu-west-1\n"), nil)
	indexDir := filepath.Join(dir, "index")
	if _, err := loadIndexed(paths[0], paths[1], indexDir, later); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(paths[0], []byte("[profile b]\nregion = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(paths[0], fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadIndexed(paths[0], paths[1], indexDir, later)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cfg.Profile("a"); ok || cfg.lazy != nil {
		t.Fatalf("profile a read from a stale index (index in use: %v)", cfg.lazy != nil)
	}
	if p, ok := cfg.Profile("b"); !ok || p.Get("region") != "us-east-1" {
		t.Fatalf("profile b = %v, %v; want the rewritten file's", p, ok)
	}
}

// TestRecentFilesAreNotIndexed: a file changed within the racy window could
// change again within one timestamp tick, unseen.
func TestRecentFilesAreNotIndexed(t *testing.T) {
	dir := t.TempDir()
	paths := writePair(t, dir, []byte("[profile a]\nregion = eu-west-1\n"), nil)
	indexDir := filepath.Join(dir, "index")
	for range 2 {
		cfg, err := loadIndexed(paths[0], paths[1], indexDir, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if cfg.lazy != nil {
			t.Fatal("a file written just now was read through an index")
		}
	}
}

func writePair(t *testing.T, dir string, config, credentials []byte) [2]string {
	t.Helper()
	paths := [2]string{filepath.Join(dir, "config"), filepath.Join(dir, "credentials")}
	for i, data := range [][]byte{config, credentials} {
		os.Remove(paths[i])
		if data == nil {
			continue
		}
		if err := os.WriteFile(paths[i], data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

// compareConfigs fails t where indexed answers differently from full.
func compareConfigs(t *testing.T, full, indexed *Config, profile string) {
	t.Helper()
	if diff := configDiff(full, indexed, profile); diff != "" {
		t.Fatal(diff)
	}
}

func compareQuietly(full, indexed *Config) bool {
	return configDiff(full, indexed, "") == ""
}

// maxNamesPerInput bounds how many of an input's profiles are asked
// about, so a generated config with thousands of profiles stays quick to
// check.
const maxNamesPerInput = 20

// Resolve is creds.Resolve, its chain described with its region and
// cache key: the index must give the chains a full parse gives. creds
// imports config, so resolve_test.go, in package config_test, sets it.
var Resolve func(cfg *Config, profile string) (string, error)

// configDiff describes the first answer two configs disagree on.
func configDiff(full, indexed *Config, profile string) string {
	names := full.ProfileNames()
	if len(names) > maxNamesPerInput {
		names = names[:maxNamesPerInput]
	}
	// A name a typo from a profile's gets a "did you mean", asked before
	// the profile itself is.
	var typos []string
	for _, name := range names[:min(len(names), 3)] {
		typos = append(typos, name+"x")
	}
	names = append(append(typos, names...), profile, "default", "absent")
	for _, name := range names {
		p, ok := full.Profile(name)
		q, qok := indexed.Profile(name)
		if ok != qok {
			return fmt.Sprintf("profile %q: exists %v in full, %v through the index", name, ok, qok)
		}
		if !ok {
			_, err := Resolve(full, name)
			_, derr := Resolve(indexed, name)
			if err.Error() != derr.Error() {
				return fmt.Sprintf("Resolve(%q): %v in full, %v through the index", name, err, derr)
			}
			continue
		}
		if a, b := unflatten(p.Settings), unflatten(q.Settings); !reflect.DeepEqual(a, b) {
			return fmt.Sprintf("profile %q: %v in full, %v through the index", name, a, b)
		}
		for _, kv := range p.Settings {
			if key := kv.Key; full.FileOf(p, key) != indexed.FileOf(q, key) {
				return fmt.Sprintf("profile %q key %s: from %s in full, %s through the index", name, key, full.FileOf(p, key), indexed.FileOf(q, key))
			}
		}
		for _, ref := range []struct {
			key  string
			kind byte
		}{{"sso_session", kindSSOSession}, {"services", kindServices}} {
			v := p.Get(ref.key)
			var a, b Section
			var aok, bok bool
			if ref.kind == kindSSOSession {
				a, aok = full.SSOSession(v)
				b, bok = indexed.SSOSession(v)
			} else {
				a, aok = full.Services(v)
				b, bok = indexed.Services(v)
			}
			if aok != bok || !reflect.DeepEqual(unflatten(a), unflatten(b)) {
				return fmt.Sprintf("profile %q's %s %q: %v %v in full, %v %v through the index", name, ref.key, v, a, aok, b, bok)
			}
		}
		c, err := Resolve(full, name)
		d, derr := Resolve(indexed, name)
		switch {
		case (err == nil) != (derr == nil) || err != nil && err.Error() != derr.Error():
			return fmt.Sprintf("Resolve(%q): %v in full, %v through the index", name, err, derr)
		case c != d:
			return fmt.Sprintf("Resolve(%q): %s in full, %s through the index", name, c, d)
		}
	}
	// And every question again, of a config already asked some.
	for _, q := range questions(full, profile) {
		if a, b := q.ask(full), q.ask(indexed); a != b {
			return fmt.Sprintf("%s: %s in full, %s through the index", q.name, a, b)
		}
	}
	return ""
}

// organisation is n generated profiles shaped like an Identity Center
// organisation's: SSO profiles and roles on top of them.
func organisation(n int) string {
	var b strings.Builder
	b.WriteString("[default]\nregion = eu-west-1\n[sso-session org]\nsso_start_url = https://org.awsapps.com/start\nsso_region = eu-west-1\n")
	b.WriteString("[services local]\nsts =\n  endpoint_url = http://127.0.0.1:9\n")
	for i := range n {
		if i%3 == 2 {
			fmt.Fprintf(&b, "[profile team-%d]\nrole_arn = arn:aws:iam::%012d:role/deploy\nsource_profile = team-%d\nservices = local\n", i, i, i-1)
			continue
		}
		fmt.Fprintf(&b, "[profile team-%d]\nsso_session = org\nsso_account_id = %012d\nsso_role_name = Dev\n", i, i)
	}
	return b.String()
}

// TestMissingConfigIsNamed: with no config file, a profile not found is
// said to be missing because the file is, read in full or through the
// index (whose files record that the config is absent).
func TestMissingConfigIsNamed(t *testing.T) {
	dir := t.TempDir()
	paths := writePair(t, dir, nil, []byte("[static]\naws_access_key_id = A\naws_secret_access_key = B\n"))
	indexDir := filepath.Join(dir, "index")
	for _, through := range []string{"in full", "through the index"} {
		cfg, err := loadIndexed(paths[0], paths[1], indexDir, later)
		if err != nil {
			t.Fatal(err)
		}
		if (cfg.lazy != nil) != (through == "through the index") {
			t.Fatalf("%s: index in use %v", through, cfg.lazy != nil)
		}
		if !cfg.ConfigFileMissing() {
			t.Errorf("%s: the config file is not missing", through)
		}
		_, err = Resolve(cfg, "absent")
		if err == nil || !strings.Contains(err.Error(), paths[0]+"; the file does not exist: create it with 'aws configure sso'") {
			t.Errorf("%s: Resolve(absent) = %v, want it to say %s does not exist", through, err, paths[0])
		}
		if _, err := Resolve(cfg, "static"); err != nil {
			t.Errorf("%s: the credentials file's profile: %v", through, err)
		}
	}
}

// TestSmallConfigsSkipTheIndex: files of at most smallConfig bytes together
// are parsed whole, even with a valid index beside them (reading the index
// cost a small config's warm exec more than the parse); larger ones are
// read through it. Both answer alike.
func TestSmallConfigsSkipTheIndex(t *testing.T) {
	credentials := []byte("[team-7]\naws_access_key_id = A\naws_secret_access_key = B\n")
	padding := strings.Repeat("# padding\n", smallConfig/10)
	for _, c := range []struct {
		name        string
		config      string
		credentials []byte
		indexed     bool
	}{
		{"small", testenv.Config, credentials, false},
		{"at the bound", testenv.Config + padding[:smallConfig-len(testenv.Config)-len(credentials)], credentials, false},
		{"one byte over", testenv.Config + padding[:smallConfig-len(testenv.Config)-len(credentials)+1], credentials, true},
		{"large", testenv.Config + padding, credentials, true},
		{"large credentials", testenv.Config, append(slices.Clone(credentials), padding...), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			paths := writePair(t, dir, []byte(c.config), c.credentials)
			indexDir := filepath.Join(dir, "index")
			if _, err := loadIndexed(paths[0], paths[1], indexDir, later); err != nil {
				t.Fatal(err)
			}
			if entries, err := os.ReadDir(indexDir); err != nil || len(entries) != 1 {
				t.Fatalf("no index written to compare with: %v %v", entries, err)
			}
			cfg, err := LoadIndexed(paths[0], paths[1], indexDir)
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.lazy != nil; got != c.indexed {
				t.Errorf("%d bytes read through the index: %v, want %v", len(c.config)+len(c.credentials), got, c.indexed)
			}
			full, err := Load(paths[0], paths[1])
			if err != nil {
				t.Fatal(err)
			}
			compareConfigs(t, full, cfg, "requires3")
		})
	}
}

// noEnv is an environment that sets nothing.
func noEnv(string) string { return "" }
