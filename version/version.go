// Package version says which hop is running: the release, the commit and
// time it was built from, the Go toolchain, the platform, and which of
// hop's two binaries answers. The front and hop-core both link it, so one
// build stamps both with the same answer.
package version

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
)

// Set with -X by `make build` and the release build (.goreleaser.yaml);
// a `go install` leaves them empty, and Current reads the module's build
// info instead.
var version, commit, date string

// Info is what `hop version` prints.
type Info struct {
	Version  string `json:"version"`
	Commit   string `json:"commit"`
	Date     string `json:"date"`
	Modified bool   `json:"modified"`
	Go       string `json:"go"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	// Binary is "hop-core" when hop-core runs under its own name, behind
	// the front; "hop-core alone" when the whole CLI runs as hop, as
	// `go install github.com/hop-cli/hop@latest` installs it.
	Binary string `json:"binary"`
}

// Current is this binary's Info.
func Current() Info {
	bi, ok := debug.ReadBuildInfo()
	self, _ := os.Executable()
	return fromBuild(Info{Version: version, Commit: commit, Date: date}, bi, ok, self)
}

// fromBuild completes the stamped fields from the build info, which a
// `go install` of a tagged module and any build in a checkout record.
func fromBuild(in Info, bi *debug.BuildInfo, ok bool, self string) Info {
	in.Go, in.OS, in.Arch = runtime.Version(), runtime.GOOS, runtime.GOARCH
	if ok {
		in.Go = bi.GoVersion
		if in.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			in.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if in.Commit == "" {
					in.Commit = s.Value
				}
			case "vcs.time":
				if in.Date == "" {
					in.Date = s.Value
				}
			case "vcs.modified":
				in.Modified = s.Value == "true"
			}
		}
	}
	if in.Version == "" {
		in.Version = "dev"
	}
	in.Binary = "hop-core alone"
	if strings.TrimSuffix(filepath.Base(self), ".exe") == "hop-core" {
		in.Binary = "hop-core"
	}
	return in
}

// String is the text `hop version` and `hop --version` print.
func (i Info) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "hop %s\n", i.Version)
	unknown := func(s string) string {
		if s == "" {
			return "unknown"
		}
		return s
	}
	commit := unknown(i.Commit)
	if i.Modified {
		commit += " (modified)"
	}
	fmt.Fprintf(&b, "commit:   %s\n", commit)
	fmt.Fprintf(&b, "built:    %s\n", unknown(i.Date))
	fmt.Fprintf(&b, "go:       %s\n", i.Go)
	fmt.Fprintf(&b, "platform: %s/%s\n", i.OS, i.Arch)
	if i.Binary == "hop-core" {
		b.WriteString("binary:   hop-core, behind the hop front\n")
	} else {
		b.WriteString("binary:   hop-core alone: every command works, but each starts slower than\n" +
			"          through the front; install both with\n" +
			"          go install github.com/hop-cli/hop/cmd/...@latest\n")
	}
	return b.String()
}

// WriteJSON writes i as one JSON object.
func (i Info) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(i)
}
