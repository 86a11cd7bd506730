package cli

import (
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"slices"
	"strings"

	"github.com/cli/browser"
)

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
