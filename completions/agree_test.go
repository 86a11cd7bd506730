package completions_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/hop-cli/hop/completions"
	"github.com/hop-cli/hop/creds/config"
)

// FuzzAgreesWithCreds checks that completion offers exactly the profiles
// hop can resolve: the fast name scanner and creds' full parser must find
// the same names in any config or credentials file the parser accepts.
func FuzzAgreesWithCreds(f *testing.F) {
	f.Add("[default]\nregion = eu-west-1\n[profile a]\nrole_arn = x\n[sso-session s]\nsso_region = eu-west-1\n", true)
	f.Add("  [ profile  spaced ] # comment\n[profile\ttab]\n[services local]\ns3 =\n  endpoint_url = http://127.0.0.1:5000\n", true)
	f.Add("[static]\naws_access_key_id = AKIDEXAMPLE\n[profile x]\n[ default ]\r\n", false)
	f.Add("# [profile commented]\nkey = [profile value]\n[profile a]b]\n[DEFAULT]\n", true)
	f.Fuzz(func(t *testing.T, content string, asConfig bool) {
		dir := t.TempDir()
		configPath := filepath.Join(dir, "config")
		credentialsPath := filepath.Join(dir, "credentials")
		path := credentialsPath
		if asConfig {
			path = configPath
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(configPath, credentialsPath)
		if err != nil {
			return // hop rejects the file outright; completion only has to cope
		}
		want := cfg.ProfileNames()
		slices.Sort(want)
		got, err := completions.ProfileNames(configPath, credentialsPath)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, slices.Compact(want)) {
			t.Errorf("in %s %q\ncompletion lists %q\nconfig.Load has %q", filepath.Base(path), content, got, want)
		}
	})
}
