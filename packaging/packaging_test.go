package packaging

import (
	"fmt"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/hop-cli/hop/front"
)

type fileInfo struct {
	Mode uint32 `yaml:"mode"`
}

type content struct {
	Src      string   `yaml:"src"`
	Dst      string   `yaml:"dst"`
	Type     string   `yaml:"type"`
	FileInfo fileInfo `yaml:"file_info"`
}

// meta are the fields both describe the same way.
type meta struct {
	Vendor      string `yaml:"vendor"`
	Maintainer  string `yaml:"maintainer"`
	Homepage    string `yaml:"homepage"`
	Description string `yaml:"description"`
	License     string `yaml:"license"`
	Section     string `yaml:"section"`
	Priority    string `yaml:"priority"`
}

type goreleaser struct {
	Builds []struct {
		ID     string `yaml:"id"`
		Binary string `yaml:"binary"`
	} `yaml:"builds"`
	NFPMs []struct {
		meta        `yaml:",inline"`
		PackageName string    `yaml:"package_name"`
		IDs         []string  `yaml:"ids"`
		Bindir      string    `yaml:"bindir"`
		Contents    []content `yaml:"contents"`
	} `yaml:"nfpms"`
}

type nfpm struct {
	meta     `yaml:",inline"`
	Name     string    `yaml:"name"`
	Contents []content `yaml:"contents"`
}

func load(t *testing.T, file string, into any) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, into); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

// TestSamePackage: the .deb and .rpm the release builds (.goreleaser.yaml)
// and the one the e2e test builds and installs (nfpm.yaml) have the same
// name, metadata and files, at the same paths with the same modes, from
// the same sources: installing one tests the other.
func TestSamePackage(t *testing.T) {
	var gr goreleaser
	var np nfpm
	load(t, "../.goreleaser.yaml", &gr)
	load(t, "nfpm.yaml", &np)
	if len(gr.NFPMs) != 1 {
		t.Fatalf(".goreleaser.yaml has %d nfpms, want 1", len(gr.NFPMs))
	}
	rel := gr.NFPMs[0]
	if rel.PackageName != np.Name || rel.meta != np.meta {
		t.Errorf("the packages differ:\n.goreleaser.yaml %s %+v\nnfpm.yaml        %s %+v", rel.PackageName, rel.meta, np.Name, np.meta)
	}

	// dst -> "mode source": the release's binaries land at bindir/binary,
	// from the build of that binary; its other files name their source
	// relative to the repository, nfpm.yaml's relative to the staged tree
	// (an archive's layout: share/ is the release's build/share/).
	release := map[string]string{}
	for _, b := range gr.Builds {
		if slices.Contains(rel.IDs, b.ID) {
			release[path.Join(rel.Bindir, b.Binary)] = "0755 " + b.Binary
		}
	}
	for _, c := range rel.Contents {
		release[c.Dst] = modeSource(c.FileInfo.Mode, strings.TrimPrefix(c.Src, "build/"), c.Type)
	}
	staged := map[string]string{}
	for _, c := range np.Contents {
		staged[c.Dst] = modeSource(c.FileInfo.Mode, strings.TrimPrefix(c.Src, "${STAGE}/"), c.Type)
	}
	if len(release) < 7 {
		t.Errorf("the release's package has %d files: %v", len(release), release)
	}
	for _, dst := range slices.Sorted(maps.Keys(release)) {
		if staged[dst] != release[dst] {
			t.Errorf("%s: .goreleaser.yaml %q, nfpm.yaml %q", dst, release[dst], staged[dst])
		}
	}
	for _, dst := range slices.Sorted(maps.Keys(staged)) {
		if _, ok := release[dst]; !ok {
			t.Errorf("%s: only in nfpm.yaml", dst)
		}
	}
	for _, want := range []string{"/usr/bin/hop", "/usr/libexec/hop/hop-core", "/usr/share/man/man1/hop.1", "/usr/share/bash-completion/completions/hop", "/usr/share/zsh/vendor-completions/_hop", "/usr/share/fish/vendor_completions.d/hop.fish"} {
		if _, ok := release[want]; !ok {
			t.Errorf("the package lacks %s", want)
		}
	}
}

func modeSource(mode uint32, src, typ string) string {
	return strings.TrimSpace(fmt.Sprintf("%#o %s %s", mode, src, typ))
}

// TestArchiveLayout: in the release's archives and packages, hop-core is
// where the front looks for it, relative to the front.
func TestArchiveLayout(t *testing.T) {
	var gr goreleaser
	load(t, "../.goreleaser.yaml", &gr)
	binaries := map[string]string{}
	for _, b := range gr.Builds {
		binaries[b.ID] = b.Binary
	}
	hop, core := binaries["hop"], binaries["hop-core"]
	if hop != "bin/hop" || path.Join(path.Dir(hop), front.CorePath) != core {
		t.Errorf("the release puts the front at %q and hop-core at %q; the front looks at %s from its directory", hop, core, front.CorePath)
	}
}
