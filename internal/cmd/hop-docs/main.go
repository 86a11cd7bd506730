// Command hop-docs writes what the release ships beside the binaries:
// hop's manual page, from hop-core's kong model (see package manpage), and
// the completion scripts. The release build and make docs run it:
//
//	go run ./internal/cmd/hop-docs -version v1.2.0 -date 2026-12-01T10:00:00Z DIR
//
// It writes DIR/man/man1/hop.1 and the completion scripts hop prints, at
// the paths under DIR (a PREFIX/share) where each shell looks for them:
// bash-completion/completions/hop, zsh/site-functions/_hop,
// fish/vendor_completions.d/hop.fish.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/hop-cli/hop/cli"
	"github.com/hop-cli/hop/completions"
	"github.com/hop-cli/hop/internal/manpage"
)

func main() {
	version := flag.String("version", "dev", "the release the page documents")
	date := flag.String("date", "", "the commit's date, RFC 3339 (required, so a commit always gives the same page)")
	flag.Parse()
	when, err := time.Parse(time.RFC3339, *date)
	if flag.NArg() != 1 || err != nil {
		fmt.Fprintln(os.Stderr, "usage: hop-docs -date 2006-01-02T15:04:05Z07:00 [-version V] DIR")
		os.Exit(2)
	}
	if err := write(flag.Arg(0), *version, when.UTC().Format(time.DateOnly)); err != nil {
		fmt.Fprintf(os.Stderr, "hop-docs: %v\n", err)
		os.Exit(1)
	}
}

func write(dir, version, date string) error {
	parser, err := cli.Parser()
	if err != nil {
		return err
	}
	files := map[string]func(io.Writer) error{
		"man/man1/hop.1": func(w io.Writer) error { return manpage.Write(w, parser.Model, version, date) },
	}
	for shell, path := range map[string]string{
		"bash": "bash-completion/completions/hop",
		"zsh":  "zsh/site-functions/_hop",
		"fish": "fish/vendor_completions.d/hop.fish",
	} {
		files[path] = func(w io.Writer) error { return completions.Write(w, shell) }
	}
	for path, write := range files {
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(path)), write); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
