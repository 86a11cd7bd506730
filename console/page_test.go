package console

import (
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWritePage: the page is 0600 in a directory made or kept 0700,
// never written through a link, and carries the URL only as escaped
// data: a hostile endpoint's URL cannot close the attribute or the
// script.
func TestWritePage(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "hop")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	signin := `https://signin.example/federation?Action=login&Destination=x"><script>alert(1)</script>&SigninToken=T`
	path, fileURL, err := WritePage(dir, signin)
	if err != nil {
		t.Fatal(err)
	}
	if fileURL != "file://"+path || filepath.Dir(path) != dir {
		t.Errorf("page %s at %s, want a file:// URL of a file in %s", path, fileURL, dir)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, info.Mode().Perm(), want)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	if strings.Contains(page, "<script>alert") || strings.Count(page, "<script>") != 1 || !strings.Contains(page, html.EscapeString(signin)) {
		t.Errorf("the URL is not escaped in the page:\n%s", page)
	}

	link := filepath.Join(base, "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	if _, _, err := WritePage(link, signin); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("a page through a link to a directory: %v, want a refusal", err)
	}
}

// TestPageURL: a Unix path and a Windows drive path both give a URL whose
// host is empty and whose path is the file's.
func TestPageURL(t *testing.T) {
	for path, want := range map[string]string{
		"/run/user/1000/hop/console-1.html":       "file:///run/user/1000/hop/console-1.html",
		"C:/Users/ann/AppData/hop/console-1.html": "file:///C:/Users/ann/AppData/hop/console-1.html",
		"/tmp/a dir/console-#1.html":              "file:///tmp/a%20dir/console-%231.html",
	} {
		if got := pageURL(path); got != want {
			t.Errorf("pageURL(%q) = %q, want %q", path, got, want)
		}
	}
}
