package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hop-cli/hop/internal/bench"
)

// TestFrontListsAsCore: the front serves `hop list` itself when hop's store
// is the kernel keyring or the file store, and must print exactly what
// hop-core prints, table and JSON; a config hop refuses goes to hop-core,
// which reports it.
func TestFrontListsAsCore(t *testing.T) {
	core := filepath.Join(filepath.Dir(filepath.Dir(hopBin)), "libexec", "hop", "hop-core")
	// The front alone, with no hop-core beside it: it must not need one.
	alone := filepath.Join(t.TempDir(), "hop")
	data, err := os.ReadFile(hopBin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, data, 0o700); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	configPath, credentialsPath, _, err := bench.WriteScaleConfig(home, 300)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(configPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Wide, hostile and broken profiles beside the generated ones.
	f.WriteString("[profile 日本語]\nsso_session = org-1\nsso_account_id = 1\nsso_role_name = R\nregion = ünïcödé\n" +
		"[profile ctl\x1b]0;x\x07]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = team-1\n" +
		"[profile broken]\nrole_arn = nope\nsource_profile = team-1\n")
	f.Close()
	for _, backend := range []string{"file", "keyctl"} {
		env := []string{"HOME=" + home, "AWS_CONFIG_FILE=" + configPath, "AWS_SHARED_CREDENTIALS_FILE=" + credentialsPath,
			"HOP_BACKEND=" + backend, "HOP_FILE_DIR=" + filepath.Join(home, "keyring"), "PATH=" + os.Getenv("PATH")}
		for _, args := range [][]string{{"list"}, {"list", "--json"}} {
			want := runBin(t, core, env, args...)
			for _, bin := range []string{hopBin, alone} {
				if got := runBin(t, bin, env, args...); got != want {
					t.Errorf("%s %v with %s: the front prints %+v, hop-core %+v", bin, args, backend, got, want)
				}
			}
			if want.code != 0 || want.stdout == "" {
				t.Errorf("hop-core %v with %s: %+v", args, backend, want)
			}
		}
	}
	// A config hop refuses: hop-core's error, so the front alone fails.
	broken := filepath.Join(home, "broken")
	if err := os.WriteFile(broken, []byte("[profile a]\n[profile a]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home, "AWS_CONFIG_FILE=" + broken, "HOP_BACKEND=file", "PATH=" + os.Getenv("PATH")}
	want := runBin(t, core, env, "list")
	if got := runBin(t, hopBin, env, "list"); got != want || want.code == 0 {
		t.Errorf("hop list with a refused config: the front prints %+v, hop-core %+v", got, want)
	}
	if got := runBin(t, alone, env, "list"); got.code == 0 {
		t.Errorf("the front alone served a config hop refuses: %+v", got)
	}
}
