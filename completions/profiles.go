package completions

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
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
		nameFrom func(typ, name []byte) (string, bool)
	}{
		{configPath, configProfile},
		{credentialsPath, credentialsProfile},
	} {
		if f.path == "" {
			continue
		}
		data, err := os.ReadFile(f.path)
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
func appendSectionNames(names []string, data []byte, nameFrom func(typ, name []byte) (string, bool)) []string {
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
		// A '[' after other text on its line, as in a value, opens no section.
		if len(bytes.TrimSpace(data[start:open])) == 0 {
			if typ, name, ok := sectionHeader(data[start:end]); ok {
				if profile, ok := nameFrom(typ, name); ok {
					names = append(names, profile)
				}
			}
		}
		data = data[end:]
	}
}

// sectionHeader splits a header line such as "  [ profile  dev ] # comment"
// into its type ("profile") and name ("dev"); "[default]" has no type. It
// follows the AWS SDK for Go v2, which hop's creds package builds on:
// anything from '#' or ';' on is a comment, blanks around the brackets and
// inside them (and a CR) do not count, and the first run of blanks separates
// the type from the name.
func sectionHeader(line []byte) (typ, name []byte, ok bool) {
	if i := bytes.IndexAny(line, "#;"); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimSpace(line)
	if len(line) < 2 || line[0] != '[' || line[len(line)-1] != ']' {
		return nil, nil, false
	}
	inner := bytes.TrimSpace(line[1 : len(line)-1])
	if blank := bytes.IndexAny(inner, " \t"); blank >= 0 {
		return inner[:blank], bytes.TrimLeft(inner[blank:], " \t"), true
	}
	return nil, inner, len(inner) > 0
}

// configProfile maps a config file section to its profile: "[default]" and
// "[profile NAME]" are profiles; "[sso-session ...]", "[services ...]" and
// anything else are not.
func configProfile(typ, name []byte) (string, bool) {
	switch {
	case typ == nil && bytes.EqualFold(name, []byte("default")):
		return string(name), true
	case string(typ) == "profile":
		return string(name), true
	}
	return "", false
}

// credentialsProfile maps a credentials file section to its profile: every
// section is one, except a "profile NAME" form, which the SDK rejects there.
func credentialsProfile(typ, name []byte) (string, bool) {
	switch {
	case typ == nil:
		return string(name), true
	case string(typ) == "profile":
		return "", false
	}
	return string(typ) + " " + string(name), true
}
