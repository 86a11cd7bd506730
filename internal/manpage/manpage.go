// Package manpage writes hop's manual page (roff, man(7) macros) from the
// kong model hop-core parses its command line with, so the page lists
// exactly the commands, arguments, flags and environment variables hop
// reads, and cannot drift from them.
package manpage

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/alecthomas/kong"
)

// Write writes hop.1 for app: version names the release, date (YYYY-MM-DD)
// the build, so the same commit gives the same page.
func Write(w io.Writer, app *kong.Application, version, date string) error {
	p := &page{}
	p.line(".TH %s 1 %s %s %s", quote(strings.ToUpper(app.Name)), quote(date), quote(app.Name+" "+version), quote("User Commands"))
	p.line(".SH NAME")
	p.line("%s \\- %s", app.Name, text(app.Help))
	p.line(".SH SYNOPSIS")
	p.line(".B %s", app.Name)
	p.line("\\fICOMMAND\\fR [\\fIARGUMENTS\\fR] [\\fIFLAGS\\fR]")
	if app.Detail != "" {
		p.line(".SH DESCRIPTION")
		p.paragraphs(app.Detail)
	}
	p.line(".SH GLOBAL FLAGS")
	p.flags(app.Flags)
	p.line(".SH COMMANDS")
	for _, cmd := range app.Leaves(true) {
		p.line(".SS %s", quote(app.Name+" "+strings.TrimSpace(strings.TrimSuffix(cmd.Summary(), "[flags]"))))
		p.line(".PP")
		p.paragraphs(cmd.Help)
		if cmd.Detail != "" {
			p.line(".PP")
			p.paragraphs(cmd.Detail)
		}
		for _, arg := range cmd.Positional {
			p.line(".TP")
			p.line("\\fI%s\\fR", text(arg.Summary()))
			p.paragraphs(arg.Help)
		}
		var own []*kong.Flag
		for n := cmd; n != nil && n.Type != kong.ApplicationNode; n = n.Parent {
			own = append(own, n.Flags...)
		}
		p.flags(own)
	}
	if envs := environment(app); len(envs) > 0 {
		p.line(".SH ENVIRONMENT")
		for _, f := range envs {
			p.line(".TP")
			p.line("\\fB%s\\fR", text(strings.Join(f.Envs, ", ")))
			p.paragraphs(fmt.Sprintf("Sets %s: %s", flagName(f), f.Help))
		}
	}
	p.line(".SH SEE ALSO")
	p.line("\\fB%s help\\fR \\fICOMMAND\\fR, \\fBaws\\fR(1)", app.Name)
	_, err := io.WriteString(w, p.String())
	return err
}

type page struct{ strings.Builder }

func (p *page) line(format string, args ...any) {
	fmt.Fprintf(p, format, args...)
	p.WriteByte('\n')
}

// paragraphs writes s as text, a blank line starting a new paragraph.
func (p *page) paragraphs(s string) {
	for i, para := range strings.Split(strings.TrimSpace(s), "\n\n") {
		if i > 0 {
			p.line(".PP")
		}
		for _, l := range strings.Split(para, "\n") {
			p.line("%s", text(l))
		}
	}
}

func (p *page) flags(flags []*kong.Flag) {
	for _, f := range flags {
		if f.Hidden {
			continue
		}
		p.line(".TP")
		p.line("%s", flagSynopsis(f))
		help := f.Help
		if f.HasDefault && f.Default != "" && !f.IsBool() {
			help += " Default: " + f.Default + "."
		}
		p.paragraphs(help)
	}
}

func flagName(f *kong.Flag) string { return "--" + f.Name }

// flagSynopsis is "\fB-t\fR, \fB--mfa-token\fR=\fICODE\fR".
func flagSynopsis(f *kong.Flag) string {
	var names []string
	if f.Short != 0 {
		names = append(names, `\fB\-`+text(string(f.Short))+`\fR`)
	}
	names = append(names, `\fB`+text(flagName(f))+`\fR`)
	s := strings.Join(names, ", ")
	if !f.IsBool() && !f.IsCounter() {
		s += `=\fI` + text(f.FormatPlaceHolder()) + `\fR`
	}
	return s
}

// environment is every flag that an environment variable sets, once each.
func environment(app *kong.Application) []*kong.Flag {
	var out []*kong.Flag
	seen := map[string]bool{}
	add := func(flags []*kong.Flag) {
		for _, f := range flags {
			key := strings.Join(f.Envs, ",")
			if len(f.Envs) == 0 || f.Hidden || seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, f)
		}
	}
	add(app.Flags)
	var walk func(*kong.Node)
	walk = func(n *kong.Node) {
		for _, c := range n.Children {
			if !c.Hidden {
				add(c.Flags)
				walk(c)
			}
		}
	}
	walk(app.Node)
	slices.SortFunc(out, func(a, b *kong.Flag) int { return strings.Compare(a.Envs[0], b.Envs[0]) })
	return out
}

// text escapes s for roff: a backslash is printed, not an escape; a
// hyphen is a minus sign (as in flags, copied from the page); a line
// starting with a period or quote is text, not a request.
func text(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// quote makes s one macro argument.
func quote(s string) string {
	return `"` + strings.ReplaceAll(text(s), `"`, `\(dq`) + `"`
}
