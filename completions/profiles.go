package completions

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
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
		nameFrom func(section string) (string, bool)
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
// data, as nameFrom maps it.
func appendSectionNames(names []string, data []byte, nameFrom func(string) (string, bool)) []string {
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if section, ok := sectionHeader(line); ok {
			if name, ok := nameFrom(section); ok {
				names = append(names, name)
			}
		}
	}
	return names
}

// sectionHeader returns the normalised section name of a header line such
// as "  [ profile  dev ] # comment", which gives "profile dev". It follows
// the AWS SDK for Go v2, which hop's creds package builds on: anything from
// '#' or ';' on is a comment, surrounding blanks (and a CR) do not count,
// and the blanks between the section type and its name collapse to one space.
func sectionHeader(line []byte) (string, bool) {
	if i := bytes.IndexAny(line, "#;"); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimSpace(line)
	if len(line) < 2 || line[0] != '[' || line[len(line)-1] != ']' {
		return "", false
	}
	inner := bytes.TrimSpace(line[1 : len(line)-1])
	typ, name, found := bytes.Cut(inner, []byte{' '})
	if tab := bytes.IndexByte(inner, '\t'); tab >= 0 && (!found || tab < len(typ)) {
		typ, name, found = inner[:tab], inner[tab+1:], true
	}
	if !found {
		return string(inner), len(inner) > 0
	}
	return string(typ) + " " + string(bytes.TrimLeft(name, " \t")), true
}

// configProfile maps a config file section to its profile: "[default]" and
// "[profile NAME]" are profiles; "[sso-session ...]", "[services ...]" and
// anything else are not.
func configProfile(section string) (string, bool) {
	if strings.EqualFold(section, "default") {
		return section, true
	}
	name, ok := strings.CutPrefix(section, "profile ")
	return name, ok && name != ""
}

// credentialsProfile maps a credentials file section to its profile: every
// section is one, except a "profile NAME" form, which the SDK rejects there.
func credentialsProfile(section string) (string, bool) {
	return section, !strings.HasPrefix(section, "profile ")
}
