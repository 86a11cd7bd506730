package completions

import (
	"bytes"
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
// It reads section headers only, so it stays fast on very large files; the
// full config rules (source_profile, sso_session, ...) belong to creds.
func ProfileNames(configPath, credentialsPath string) ([]string, error) {
	var names []string
	var errs []error
	for _, f := range []struct {
		path     string
		nameFrom func(section []byte) (string, bool)
	}{
		{configPath, configProfile},
		{credentialsPath, credentialsProfile},
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
		names = appendSectionNames(names, data, f.nameFrom)
	}
	slices.Sort(names)
	return slices.Compact(names), errors.Join(errs...)
}

// appendSectionNames appends the profile name of every section header in
// data, as nameFrom maps it. It jumps from one '[' to the next rather than
// walking every line, since most lines are key = value pairs.
func appendSectionNames(names []string, data []byte, nameFrom func(section []byte) (string, bool)) []string {
	for {
		open := bytes.IndexByte(data, '[')
		if open < 0 {
			return names
		}
		start := bytes.LastIndexByte(data[:open], '\n') + 1
		end := bytes.IndexByte(data[open:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += open
		}
		// A '[' after other text on its line, as in a value or a comment,
		// opens no section.
		if len(bytes.TrimSpace(data[start:open])) == 0 {
			if section, ok := sectionName(data[open:end]); ok {
				if name, ok := nameFrom(section); ok {
					names = append(names, name)
				}
			}
		}
		data = data[end:]
	}
}

// sectionName returns the trimmed text between the brackets of a header
// line such as "[ profile dev ] # comment", here "profile dev". As in the
// AWS CLI and hop's creds.LoadConfig, the header ends at the first ']' and
// whatever follows, such as a comment, is ignored. A line with no ']' is
// not a header; creds.LoadConfig reports it, completion just skips it.
func sectionName(line []byte) ([]byte, bool) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] != '[' {
		return nil, false
	}
	end := bytes.IndexByte(line, ']')
	if end < 0 {
		return nil, false
	}
	section := bytes.TrimSpace(line[1:end])
	return section, len(section) > 0
}

// configProfile maps a config file section to its profile: "[default]" and
// "[profile NAME]" are profiles; "[sso-session ...]", "[services ...]" and
// anything else are not.
func configProfile(section []byte) (string, bool) {
	if string(section) == "default" {
		return "default", true
	}
	rest, ok := bytes.CutPrefix(section, []byte("profile"))
	if !ok || len(rest) == 0 || rest[0] != ' ' && rest[0] != '\t' {
		return "", false
	}
	name := bytes.TrimSpace(rest)
	return string(name), len(name) > 0
}

// credentialsProfile maps a credentials file section to its profile: in the
// credentials file every section is one, named by its whole header.
func credentialsProfile(section []byte) (string, bool) {
	return string(section), true
}
