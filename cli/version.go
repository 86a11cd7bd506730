package cli

import (
	"fmt"
	"runtime/debug"
)

// version and commit are set by `make build` (-X); a `go install` leaves
// them empty and the build info says instead.
var version, commit string

// VersionCmd prints hop's version, as --version does.
type VersionCmd struct{}

func (c *VersionCmd) Run() error {
	fmt.Println(versionString(version, commit, readBuildInfo))
	return nil
}

func readBuildInfo() (*debug.BuildInfo, bool) { return debug.ReadBuildInfo() }

// versionString names the release (the tag make build was given, or the
// module version a `go install` recorded) and the commit it was built
// from: "hop v1.2.0 (commit 0123456789ab)", "hop dev (commit ..., modified)".
func versionString(tag, rev string, info func() (*debug.BuildInfo, bool)) string {
	modified := false
	if bi, ok := info(); ok {
		if tag == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			tag = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if rev == "" {
					rev = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if tag == "" {
		tag = "dev"
	}
	out := "hop " + tag
	switch {
	case rev != "" && modified:
		out += fmt.Sprintf(" (commit %.12s, modified)", rev)
	case rev != "":
		out += fmt.Sprintf(" (commit %.12s)", rev)
	}
	return out
}
