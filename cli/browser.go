package cli

import (
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"slices"
	"strings"

	"github.com/cli/browser"
	"github.com/hop-cli/hop/console"
)

// openConsole opens the sign-in page, a file:// URL, as b says: in the
// desktop's browser, in Chrome with profile's own data directory, or in
// Firefox, whose page goes on to profile's container.
func openConsole(b console.Browser, profile, page string) error {
	switch b {
	case console.ChromeProfile:
		dir := console.DataDir(os.Getenv, profile)
		if err := console.PrepareDataDir(dir); err != nil {
			return err
		}
		return startFirst("Chrome or Chromium", chromes, "--user-data-dir="+dir, "--no-first-run", "--no-default-browser-check", page)
	case console.FirefoxContainer:
		return startFirst("Firefox", firefoxes, page)
	}
	return openBrowser(page)
}

// chromes and firefoxes are the commands tried for each, first found
// first: the names Linux distributions give them, then macOS's bundles.
var (
	chromes = []string{"google-chrome", "google-chrome-stable", "chromium", "chromium-browser",
		"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome", "/Applications/Chromium.app/Contents/MacOS/Chromium"}
	firefoxes = []string{"firefox", "firefox-esr", "/Applications/Firefox.app/Contents/MacOS/firefox"}
)

// startFirst starts the first of names found with args, without waiting.
func startFirst(what string, names []string, args ...string) error {
	for _, name := range names {
		path, err := osexec.LookPath(name)
		if err != nil {
			continue
		}
		cmd := osexec.Command(path, args...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			return err
		}
		go cmd.Wait()
		return nil
	}
	return fmt.Errorf("no %s found (looked for %s in PATH)", what, strings.Join(names, ", "))
}

// openBrowser tries the commands in BROWSER (colon-separated, "%s" standing
// for the URL, as the convention has it), then the desktop's opener. It
// does not wait for the browser, and fails fast when none can start.
func openBrowser(url string) error {
	if list := os.Getenv("BROWSER"); list != "" {
		var errs []error
		for _, entry := range strings.Split(list, ":") {
			args := strings.Fields(entry)
			if len(args) == 0 {
				continue
			}
			if i := slices.Index(args, "%s"); i >= 0 {
				args[i] = url
			} else {
				args = append(args, url)
			}
			cmd := osexec.Command(args[0], args[1:]...)
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			if err := cmd.Start(); err != nil {
				errs = append(errs, err)
				continue
			}
			go cmd.Wait()
			return nil
		}
		return fmt.Errorf("BROWSER: %w", errors.Join(errs...))
	}
	browser.Stdout, browser.Stderr = os.Stderr, os.Stderr
	return browser.OpenURL(url)
}
