package manpage

import (
	"bytes"
	"strings"
	"testing"

	"github.com/alecthomas/kong"

	"github.com/hop-cli/hop/cli"
)

// TestPageCoversTheModel: every command hop-core parses, its arguments and
// its flags, and every environment variable, are on the page; hidden ones
// are not.
func TestPageCoversTheModel(t *testing.T) {
	parser, err := cli.Parser()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, parser.Model, "v1.2.0", "2026-12-01"); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if !strings.HasPrefix(page, `.TH "HOP" 1 "2026\-12\-01" "hop v1.2.0"`) {
		t.Errorf("title line: %q", strings.SplitN(page, "\n", 2)[0])
	}
	for _, cmd := range parser.Model.Leaves(true) {
		if want := ".SS \"hop " + text(cmd.Path()); !strings.Contains(page, want) {
			t.Errorf("no section for %q", cmd.Path())
		}
		for _, f := range cmd.Flags {
			if !f.Hidden && !strings.Contains(page, `\fB`+text("--"+f.Name)+`\fR`) {
				t.Errorf("hop %s: no --%s", cmd.Path(), f.Name)
			}
		}
		for _, env := range []string{"HOP_DEBUG", "HOP_BACKEND", "HOP_NO_BROWSER"} {
			if !strings.Contains(page, `\fB`+text(env)+`\fR`) {
				t.Errorf("no %s in ENVIRONMENT", env)
			}
		}
	}
}

// TestText: help text is printed as written, never read as roff.
func TestText(t *testing.T) {
	var grammar struct {
		Run struct {
			Path string `arg:"" help:".so /etc/passwd"`
		} `cmd:"" help:"Run \\fBit\\fR."`
		Secret struct{} `cmd:"" hidden:""`
	}
	parser := kong.Must(&grammar, kong.Name("t"), kong.Description("a - b"))
	var buf bytes.Buffer
	if err := Write(&buf, parser.Model, "v1", "2026-12-01"); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{"\n\\&.so /etc/passwd\n", `Run \efBit\efR.`, `t \- a \- b`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "secret") {
		t.Errorf("a hidden command is on the page:\n%s", page)
	}
}
