package console

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/hop-cli/hop/creds/store"
	"github.com/hop-cli/hop/state"
)

// Browser is how the console is opened: in the desktop's browser, where
// every account shares one cookie jar and the last sign-in wins, or in a
// browser context of the profile's own, so that accounts sit side by side.
type Browser string

const (
	// BrowserDefault is the BROWSER variable's command, else the
	// desktop's opener.
	BrowserDefault Browser = "default"
	// ChromeProfile is Chrome or Chromium with a user data directory per
	// profile: its own cookies, its own process, its own window.
	ChromeProfile Browser = "chrome-profile"
	// FirefoxContainer is Firefox with a container tab per profile, opened
	// through the ext+container: links that container extensions such as
	// "Open external links in a container" handle.
	FirefoxContainer Browser = "firefox-container"
)

// Browsers are the choices, as --browser and HOP_BROWSER take them.
var Browsers = []Browser{BrowserDefault, ChromeProfile, FirefoxContainer}

// ContainerURL is the ext+container: link that opens target in the
// container named name, made if missing. The link is followed from the
// sign-in page, inside the browser, and never given on a command line:
// it holds the sign-in URL, and the extensions refuse to open file:
// pages (Firefox forbids extensions to open them), so the page cannot be
// the link's url.
func ContainerURL(name, target string) string {
	return "ext+container:" + url.Values{"name": {name}, "url": {target}}.Encode()
}

// DataDir is the browser user data directory kept for profile under
// hop's state directory. A user data directory, not a profile directory
// in the user's own, since it is its own browser: a running Chrome hands a
// --profile-directory to its existing process and its profile picker,
// but a second user data directory keeps cookies, cache and process apart,
// and leaves the user's own profiles alone.
func DataDir(getenv func(string) string, profile string) string {
	return filepath.Join(state.Dir(getenv), "browser", fileName(profile))
}

// fileName makes a profile name one path element: the bytes a file name
// cannot hold, or that would climb out, are escaped as in a URL.
func fileName(profile string) string {
	var b strings.Builder
	for i := 0; i < len(profile); i++ {
		c := profile[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.' && i > 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// PrepareDataDir makes profile's user data directory, the user's own and
// 0700: it will hold the console's cookies.
func PrepareDataDir(dir string) error {
	return store.PrivateDir(dir, true, "the browser's data directory "+dir, "use --print")
}
