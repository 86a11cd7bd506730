package version

import (
	"bytes"
	"encoding/json"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuild(t *testing.T) {
	bi := func(v string, settings ...debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.99.1", Main: debug.Module{Path: "github.com/hop-cli/hop", Version: v}, Settings: settings}
	}
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}
	when := debug.BuildSetting{Key: "vcs.time", Value: "2026-11-30T12:00:00Z"}
	dirty := debug.BuildSetting{Key: "vcs.modified", Value: "true"}
	for _, c := range []struct {
		name    string
		stamped Info
		bi      *debug.BuildInfo
		self    string
		want    Info
	}{
		{"release build", Info{Version: "v1.2.0", Commit: "fedcba98", Date: "2026-12-01T00:00:00Z"}, bi("(devel)"), "/usr/libexec/hop/hop-core",
			Info{Version: "v1.2.0", Commit: "fedcba98", Date: "2026-12-01T00:00:00Z", Go: "go1.99.1", Binary: "hop-core"}},
		{"go install of a tag", Info{}, bi("v1.2.0", rev, when), "/home/u/go/bin/hop",
			Info{Version: "v1.2.0", Commit: rev.Value, Date: when.Value, Go: "go1.99.1", Binary: "hop-core alone"}},
		{"go install of both", Info{}, bi("v1.2.0"), "/home/u/go/bin/hop-core",
			Info{Version: "v1.2.0", Go: "go1.99.1", Binary: "hop-core"}},
		{"go build in a checkout", Info{}, bi("(devel)", rev, when, dirty), "/hop/libexec/hop/hop-core.exe",
			Info{Version: "dev", Commit: rev.Value, Date: when.Value, Modified: true, Go: "go1.99.1", Binary: "hop-core"}},
		{"the stamp wins", Info{Version: "v1.3.0", Commit: "aa"}, bi("v1.2.0", rev, when), "hop-core",
			Info{Version: "v1.3.0", Commit: "aa", Date: when.Value, Go: "go1.99.1", Binary: "hop-core"}},
	} {
		got := fromBuild(c.stamped, c.bi, true, c.self)
		got.OS, got.Arch = "", ""
		if got != c.want {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
	if got := fromBuild(Info{}, nil, false, ""); got.Version != "dev" || got.Go == "" || got.OS == "" || got.Arch == "" {
		t.Errorf("no build info: %+v", got)
	}
}

// TestPrinted: the text and the JSON carry the same fields, and the text
// tells a user of hop-core alone how to get the front.
func TestPrinted(t *testing.T) {
	i := Info{Version: "v1.2.0", Commit: "0123456789ab", Date: "2026-12-01T00:00:00Z", Modified: true, Go: "go1.99.1", OS: "linux", Arch: "arm64", Binary: "hop-core alone"}
	text := i.String()
	for _, want := range []string{"hop v1.2.0\n", "0123456789ab (modified)", "2026-12-01T00:00:00Z", "go1.99.1", "linux/arm64", "hop-core alone", "go install github.com/hop-cli/hop/cmd/...@latest"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q lacks %q", text, want)
		}
	}
	var buf bytes.Buffer
	if err := i.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var back Info
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || back != i {
		t.Errorf("JSON %s reads back as %+v (%v)", buf.Bytes(), back, err)
	}
}
