package completions

import (
	"slices"

	"github.com/hop-cli/hop/creds/config"
)

// regions are the AWS regions' names in the commercial, GovCloud and
// China partitions. A fixed list: completion never asks the network.
var regions = []string{
	"af-south-1",
	"ap-east-1", "ap-east-2",
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-south-1", "ap-south-2",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
	"ca-central-1", "ca-west-1",
	"cn-north-1", "cn-northwest-1",
	"eu-central-1", "eu-central-2",
	"eu-north-1",
	"eu-south-1", "eu-south-2",
	"eu-west-1", "eu-west-2", "eu-west-3",
	"il-central-1",
	"me-central-1", "me-south-1",
	"mx-central-1",
	"sa-east-1",
	"us-east-1", "us-east-2",
	"us-gov-east-1", "us-gov-west-1",
	"us-west-1", "us-west-2",
}

// Regions are the AWS regions' names and any other region the config
// names (a profile's region, an sso-session's sso_region), sorted.
func Regions(getenv func(string) string) []string {
	names := slices.Clone(regions)
	if cfg, ok := loadConfig(getenv); ok {
		for _, profile := range cfg.ProfileNames() {
			if p, ok := cfg.Profile(profile); ok && p.Get("region") != "" {
				names = append(names, p.Get("region"))
			}
		}
		for _, session := range cfg.SSOSessionNames() {
			if s, ok := cfg.SSOSession(session); ok && s.Get("sso_region") != "" {
				names = append(names, s.Get("sso_region"))
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// SSOSessions are the config's [sso-session NAME] names.
func SSOSessions(getenv func(string) string) []string {
	cfg, ok := loadConfig(getenv)
	if !ok {
		return nil
	}
	return cfg.SSOSessionNames()
}

// loadConfig reads the shared files getenv points at; ok is false when
// hop refuses them, and completion then offers what it can without.
func loadConfig(getenv func(string) string) (*config.Config, bool) {
	configPath, credentialsPath, err := SharedFiles(getenv)
	if err != nil {
		return nil, false
	}
	cfg, err := config.Load(configPath, credentialsPath)
	return cfg, err == nil
}
