package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestCredentialsFileOverridesConfig(t *testing.T) {
	cfg := loadConfig(t, "[profile p]\naws_access_key_id = FROMCONFIG\naws_secret_access_key = s\n", "[p]\naws_access_key_id = FROMCREDS\n")
	p, _ := cfg.Profile("p")
	if p.Get("aws_access_key_id") != "FROMCREDS" || p.Get("aws_secret_access_key") != "s" {
		t.Errorf("merged profile = %v", p.Settings)
	}
	if cfg.FileOf(p, "aws_access_key_id") != cfg.CredentialsPath {
		t.Errorf("FileOf = %q", cfg.FileOf(p, "aws_access_key_id"))
	}
}

// The two files parse side by side, but a problem in the config file is
// still the one reported when both have one, as in botocore, which reads
// the config file first; and the credentials file's keys still override.
func TestConfigFileProblemsComeFirst(t *testing.T) {
	dir := t.TempDir()
	configPath, credentialsPath := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(configPath, "[profile a]\nregion = eu-west-1\nnot a key\n")
	write(credentialsPath, "[a]\naws_access_key_id = AKIA\n[a]\n")
	_, err := Load(configPath, credentialsPath)
	var serr *SyntaxError
	if !errors.As(err, &serr) || serr.File != configPath {
		t.Fatalf("Load with both files broken: %v, want the config file's problem", err)
	}
	write(configPath, "[profile a]\nregion = eu-west-1\nnested =\n  x\n")
	if _, err := Load(configPath, credentialsPath); !errors.As(err, &serr) || serr.File != configPath {
		t.Fatalf("Load with both files broken: %v, want the config file's nested-block problem", err)
	}
	write(configPath, "[profile a]\nregion = eu-west-1\n")
	if _, err := Load(configPath, credentialsPath); !errors.As(err, &serr) || serr.File != credentialsPath {
		t.Fatalf("Load with the credentials file broken: %v, want its problem", err)
	}
	write(credentialsPath, "[a]\nregion = us-east-1\naws_access_key_id = AKIA\n")
	cfg, err := Load(configPath, credentialsPath)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := cfg.Profile("a"); p.Get("region") != "us-east-1" || cfg.FileOf(p, "region") != credentialsPath {
		t.Errorf("the credentials file's region does not override the config file's: %q from %s", p.Get("region"), cfg.FileOf(p, "region"))
	}
}
