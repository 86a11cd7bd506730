package console

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/hop-cli/hop/creds/store"
	"github.com/hop-cli/hop/state"
)

// PageDir is where sign-in pages are written: hop's directory in the
// user's runtime directory, a tmpfs the system keeps private and clears
// at logout, so a page never reaches a disk; else hop's state directory.
func PageDir(getenv func(string) string) string {
	if d := getenv("XDG_RUNTIME_DIR"); filepath.IsAbs(d) {
		return filepath.Join(d, "hop")
	}
	return filepath.Join(state.Dir(getenv), "console")
}

// WritePage writes a page in dir that forwards a browser to signin, and
// returns its file:// URL. A browser is started with that URL rather than
// signin itself: a command line is public (ps, /proc/PID/cmdline), and
// the sign-in URL opens the console for whoever reads it. The page is
// 0600 in a directory that is the user's own and 0700; the caller
// removes it once the browser has read it.
func WritePage(dir, signin string) (path, fileURL string, err error) {
	// A link is refused: the page is the console for whoever reads it.
	if err := store.PrivateDir(dir, true, "the console's sign-in page directory "+dir, "use --print"); err != nil {
		return "", "", err
	}
	f, err := os.CreateTemp(dir, "console-*.html")
	if err != nil {
		return "", "", fmt.Errorf("writing the console's sign-in page in %s: %w", dir, err)
	}
	// json.Marshal escapes <, > and &, so the URL cannot end the script.
	js, _ := json.Marshal(signin)
	attr := html.EscapeString(signin)
	page := `<!doctype html>
<html><head><meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=` + attr + `">
<title>hop: signing in to the AWS console</title>
<script>location.replace(` + string(js) + `)</script>
</head><body><p><a href="` + attr + `" rel="noreferrer">Continue to the AWS console</a></p></body></html>
`
	_, err = f.WriteString(page)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", "", fmt.Errorf("writing the console's sign-in page %s: %w", f.Name(), err)
	}
	return f.Name(), pageURL(filepath.ToSlash(f.Name())), nil
}

// pageURL is the file:// URL of an absolute path written with slashes. A
// Windows path (C:/Users/…) gets the slash before its drive that the URL
// form needs: file:///C:/Users/…, not file://C:/Users/…, whose host a
// browser would take to be "C:".
func pageURL(path string) string {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return (&url.URL{Scheme: "file", Path: path}).String()
}
