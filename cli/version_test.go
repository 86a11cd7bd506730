package cli

import (
	"runtime/debug"
	"testing"
)

func TestVersionString(t *testing.T) {
	info := func(version string, settings ...debug.BuildSetting) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{Main: debug.Module{Path: "github.com/hop-cli/hop", Version: version}, Settings: settings}, true
		}
	}
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}
	dirty := debug.BuildSetting{Key: "vcs.modified", Value: "true"}
	none := func() (*debug.BuildInfo, bool) { return nil, false }
	for _, c := range []struct {
		name, tag, commit string
		info              func() (*debug.BuildInfo, bool)
		want              string
	}{
		{"make build with a tag", "v1.2.0", "fedcba9876543210", info("(devel)"), "hop v1.2.0 (commit fedcba987654)"},
		{"make build without a tag", "", "fedcba9876543210", info("(devel)"), "hop dev (commit fedcba987654)"},
		{"go install of a release", "", "", info("v1.2.0"), "hop v1.2.0"},
		{"go build in a checkout", "", "", info("(devel)", rev, dirty), "hop dev (commit 0123456789ab, modified)"},
		{"go install at a commit", "", "", info("v0.0.0-20261130120000-0123456789ab", rev), "hop v0.0.0-20261130120000-0123456789ab (commit 0123456789ab)"},
		{"no build info", "", "", none, "hop dev"},
	} {
		if got := versionString(c.tag, c.commit, c.info); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
