// Command hop-docs writes hop's manual page, hop.1, from hop-core's kong
// model (see package manpage). The release build runs it (.goreleaser.yaml,
// make man):
//
//	go run ./internal/cmd/hop-docs -version v1.2.0 -date 2026-12-01 DIR
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hop-cli/hop/cli"
	"github.com/hop-cli/hop/internal/manpage"
)

func main() {
	version := flag.String("version", "dev", "the release the page documents")
	date := flag.String("date", "", "the build's date, YYYY-MM-DD (required, so a commit always gives the same page)")
	flag.Parse()
	if flag.NArg() != 1 || *date == "" {
		fmt.Fprintln(os.Stderr, "usage: hop-docs -date YYYY-MM-DD [-version V] DIR")
		os.Exit(2)
	}
	if err := write(flag.Arg(0), *version, *date); err != nil {
		fmt.Fprintf(os.Stderr, "hop-docs: %v\n", err)
		os.Exit(1)
	}
}

func write(dir, version, date string) error {
	parser, err := cli.Parser()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "hop.1"))
	if err != nil {
		return err
	}
	if err := manpage.Write(f, parser.Model, version, date); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
