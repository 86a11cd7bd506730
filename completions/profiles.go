package completions

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/hop-cli/hop/creds"
)

// ProfileNames lists the profile names defined in the shared config and
// credentials files, sorted and without duplicates. A missing file has no
// profiles and is not an error. When one file cannot be read, the names from
// the other are still returned alongside the error.
//
// It reads section headers only (creds.AppendProfileNames), so it stays
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
		data, err := creds.ReadRegularFile(f.path, creds.MaxConfigSize)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("read profile names: %w (check the file's permissions, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE elsewhere)", err))
			continue
		}
		names = creds.AppendProfileNames(names, data, f.credentials)
	}
	slices.Sort(names)
	return slices.Compact(names), errors.Join(errs...)
}
