package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

// TestProfileArgumentsComplete walks hop's real command line and checks
// that every argument or flag naming a profile completes profile names, so
// a new command cannot forget its `predictor:"profile"` tag.
func TestProfileArgumentsComplete(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	config := "[default]\n[profile example]\n[profile requires3]\n[sso-session corp]\n"
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "")
	want := []string{"default", "example", "requires3"}

	var checked int
	for _, node := range commands(newTestParser(t, nil).Model.Node) {
		words := commandWords(node)
		for i, arg := range node.Positional {
			if !namesProfile(arg.Name) {
				continue
			}
			if i > 0 {
				t.Errorf("hop %s: profile argument at position %d; completion test only covers the first", words, i)
				continue
			}
			checked++
			if got := completeLine(t, "hop "+words+" "); !slices.Equal(got, want) {
				t.Errorf("hop %s <TAB> completes %q, want profiles %q (tag the argument predictor:\"profile\")", words, got, want)
			}
		}
		for _, flag := range node.Flags {
			if !namesProfile(flag.Name) {
				continue
			}
			checked++
			if got := completeLine(t, "hop "+words+" --"+flag.Name+" "); !slices.Equal(got, want) {
				t.Errorf("hop %s --%s <TAB> completes %q, want profiles %q (tag the flag predictor:\"profile\")", words, flag.Name, got, want)
			}
		}
	}
	if checked == 0 {
		t.Fatal("found no profile argument in hop's command line; hop exec should have one")
	}
}

// TestFlagValuesComplete walks hop's real command line and checks that
// every --backend, --region and --sso-session completes its values, so a
// new flag cannot forget its predictor tag.
func TestFlagValuesComplete(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	config := "[profile example]\nregion = xx-local-1\n[sso-session corp]\n[sso-session other]\n"
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "")
	values := map[string]struct {
		typed string
		want  []string
	}{
		"backend":     {"fi", []string{"file"}},
		"region":      {"xx-", []string{"xx-local-1"}},
		"sso-session": {"", []string{"corp", "other"}},
	}
	checked := map[string]int{}
	root := newTestParser(t, nil).Model.Node
	for _, node := range append([]*kong.Node{root}, commands(root)...) {
		words := strings.TrimSpace("hop " + commandWords(node))
		for _, flag := range node.Flags {
			v, ok := values[flag.Name]
			if !ok {
				continue
			}
			checked[flag.Name]++
			if got := completeLine(t, words+" --"+flag.Name+" "+v.typed); !slices.Equal(got, v.want) {
				t.Errorf("%s --%s %s<TAB> completes %q, want %q (tag the flag predictor:%q)", words, flag.Name, v.typed, got, v.want, flag.Name)
			}
		}
	}
	for name := range values {
		if checked[name] == 0 {
			t.Errorf("found no --%s in hop's command line", name)
		}
	}
}

// TestShellNamesComplete checks the kong enums for shells complete.
func TestShellNamesComplete(t *testing.T) {
	for line, want := range map[string][]string{"hop init ": {"bash", "fish", "pwsh", "zsh"}, "hop completions ": {"bash", "fish", "zsh"}} {
		if got := completeLine(t, line); !slices.Equal(got, want) {
			t.Errorf("%q completes %q, want %q", line, got, want)
		}
	}
}

// completeLine answers a completion request for line in process, as the
// shell scripts ask hop, and returns the sorted candidates.
func completeLine(t *testing.T, line string) []string {
	t.Helper()
	t.Setenv("COMP_LINE", line)
	t.Setenv("COMP_POINT", "")
	var out bytes.Buffer
	code := -1
	completeRequest(newTestParser(t, &out, kong.Exit(func(c int) { code = c })))
	if code != 0 {
		t.Fatalf("completing %q: exit code %d, want 0", line, code)
	}
	got := strings.Fields(out.String())
	slices.Sort(got)
	return got
}

func newTestParser(t *testing.T, stdout *bytes.Buffer, options ...kong.Option) *kong.Kong {
	t.Helper()
	var stderr bytes.Buffer
	if stdout == nil {
		stdout = &bytes.Buffer{}
	}
	options = append(append(parserOptions(), kong.Writers(stdout, &stderr)), options...)
	parser, err := kong.New(&CLI{}, options...)
	if err != nil {
		t.Fatal(err)
	}
	return parser
}

// commands lists node's command nodes, depth first.
func commands(node *kong.Node) []*kong.Node {
	var out []*kong.Node
	for _, child := range node.Children {
		if child.Type == kong.CommandNode && !child.Hidden {
			out = append(out, child)
			out = append(out, commands(child)...)
		}
	}
	return out
}

func commandWords(node *kong.Node) string {
	var words []string
	for n := node; n != nil && n.Type == kong.CommandNode; n = n.Parent {
		words = append([]string{n.Name}, words...)
	}
	return strings.Join(words, " ")
}

func namesProfile(name string) bool {
	return name == "profile" || strings.HasSuffix(name, "-profile")
}
