package completions

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/store"
)

// ProfileNames lists the profile names defined in the shared config and
// credentials files, sorted and without duplicates. A missing file has no
// profiles and is not an error. When one file cannot be read, the names from
// the other are still returned alongside the error.
//
// It reads section headers only (config.AppendProfileNames), so it stays
// fast on very large files; the full config rules (source_profile,
// sso_session, ...) belong to creds.
func ProfileNames(configPath, credentialsPath string) ([]string, error) {
	var names []string
	var errs []error
	for _, f := range []struct {
		path        string
		credentials bool
	}{
		{configPath, false},
		{credentialsPath, true},
	} {
		if f.path == "" {
			continue
		}
		data, err := store.ReadRegularFile(f.path, config.MaxFileSize)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("read profile names: %w (check the file's permissions, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE elsewhere)", err))
			continue
		}
		names = config.AppendProfileNames(names, data, f.credentials)
	}
	slices.Sort(names)
	return slices.Compact(names), errors.Join(errs...)
}
