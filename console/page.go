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
	if err := privateDir(dir); err != nil {
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

// privateDir makes dir, or checks it is a directory of the user's own
// that no one else may enter.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s for the console's sign-in page: %w; use --print", dir, err)
	}
	info, err := os.Lstat(dir)
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a directory; hop writes the console's sign-in page there: remove it, or use --print", dir)
	}
	if uid, ok := store.FileOwner(info); ok && uid != os.Geteuid() {
		return fmt.Errorf("%s belongs to user %d, not to you; hop writes the console's sign-in page only in a directory of your own: use --print", dir, uid)
	}
	if info.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("%s is open to other users, and making it private failed: %w; run chmod 700 %s", dir, err, dir)
		}
	}
	return nil
}
