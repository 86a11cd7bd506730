package creds

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Config is the merged view of the user's AWS config and credentials files,
// read the way the AWS CLI reads them.
type Config struct {
	ConfigPath      string
	CredentialsPath string
	// HasStoredKey reports whether hop's keyring holds a long-term key for
	// a profile, which then wins over plaintext keys in the files; nil
	// means none is looked for.
	HasStoredKey func(profile string) bool

	profiles    map[string]*Profile
	ssoSessions map[string]Section
	services    map[string]Section
	order       []string
}

// Profile is one named profile with the file each setting came from, so
// errors can point at the right file.
type Profile struct {
	Name     string
	Settings Section
	// Origin maps a key to the file that set it.
	Origin map[string]string
}

// Section holds a section's keys (lower-cased, as the CLI treats them). A
// nested block such as "sts =\n  endpoint_url = ..." is stored under
// "sts.endpoint_url".
type Section map[string]string

// Get returns a profile setting, or "" when unset.
func (p *Profile) Get(key string) string { return p.Settings[key] }

// Has reports whether a setting is present, even when empty.
func (p *Profile) Has(key string) bool {
	_, ok := p.Settings[key]
	return ok
}

// FileOf names the file that set key, falling back to the config file.
func (c *Config) FileOf(p *Profile, key string) string {
	if f, ok := p.Origin[key]; ok {
		return f
	}
	return c.ConfigPath
}

// Paths returns the config and credentials file locations the AWS CLI would
// use for the given environment lookup.
func Paths(getenv func(string) string) (config, credentials string) {
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	config = expandHome(getenv("AWS_CONFIG_FILE"), home)
	if config == "" {
		config = filepath.Join(home, ".aws", "config")
	}
	credentials = expandHome(getenv("AWS_SHARED_CREDENTIALS_FILE"), home)
	if credentials == "" {
		credentials = filepath.Join(home, ".aws", "credentials")
	}
	return config, credentials
}

func expandHome(p, home string) string {
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") {
		return filepath.Join(home, p[2:])
	}
	return p
}

// LoadConfig reads both files. A missing file is not an error: many users
// have only one of them.
func LoadConfig(configPath, credentialsPath string) (*Config, error) {
	c := &Config{
		ConfigPath:      configPath,
		CredentialsPath: credentialsPath,
		profiles:        map[string]*Profile{},
		ssoSessions:     map[string]Section{},
		services:        map[string]Section{},
	}
	for _, f := range []struct {
		path        string
		credentials bool
	}{{configPath, false}, {credentialsPath, true}} {
		data, err := os.ReadFile(f.path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f.path, err)
		}
		if err := c.parse(f.path, data, f.credentials); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// parse adds one file's sections. In the config file profiles are
// "[profile NAME]" (or "[default]"); in the credentials file every section
// is a profile. Later files win key by key, so the credentials file
// overrides the config file as in the CLI.
func (c *Config) parse(path string, data []byte, credentials bool) error {
	var (
		cur     Section
		origin  map[string]string
		lastKey string
		lineNo  int
	)
	// The lines are slices of the file's text, not copies.
	for raw := range strings.Lines(string(data)) {
		lineNo++
		raw = strings.TrimRight(raw, "\r\n")
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			end := strings.IndexByte(line, ']')
			if end < 0 {
				return fmt.Errorf("%s:%d: section header %q has no closing ]", path, lineNo, line)
			}
			cur, origin, lastKey = c.section(strings.TrimSpace(line[1:end]), credentials)
			continue
		}
		indented := raw[0] == ' ' || raw[0] == '\t'
		key, value, hasEq := strings.Cut(line, "=")
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		switch {
		case cur == nil:
			// Keys before any section, or in sections hop ignores.
			continue
		case indented && lastKey != "" && hasEq:
			// A nested block: "s3 =\n  endpoint_url = ...".
			cur[lastKey+"."+key] = value
			origin[lastKey+"."+key] = path
		case indented && lastKey != "":
			// A continuation line.
			cur[lastKey] = strings.TrimSpace(cur[lastKey] + "\n" + line)
		case !hasEq || key == "":
			return fmt.Errorf("%s:%d: expected \"key = value\", found %q", path, lineNo, line)
		default:
			cur[key] = value
			origin[key] = path
			lastKey = key
		}
	}
	return nil
}

// section returns the map a header's keys go into, or nil for sections hop
// does not read.
func (c *Config) section(header string, credentials bool) (Section, map[string]string, string) {
	var name string
	switch {
	case credentials:
		name = header
	case header == "default":
		name = "default"
	case strings.HasPrefix(header, "profile ") || strings.HasPrefix(header, "profile\t"):
		name = strings.TrimSpace(header[len("profile"):])
	case strings.HasPrefix(header, "sso-session "):
		s := Section{}
		c.ssoSessions[strings.TrimSpace(header[len("sso-session"):])] = s
		return s, map[string]string{}, ""
	case strings.HasPrefix(header, "services "):
		s := Section{}
		c.services[strings.TrimSpace(header[len("services"):])] = s
		return s, map[string]string{}, ""
	default:
		return nil, nil, ""
	}
	if name == "" {
		return nil, nil, ""
	}
	p, ok := c.profiles[name]
	if !ok {
		p = &Profile{Name: name, Settings: Section{}, Origin: map[string]string{}}
		c.profiles[name] = p
		c.order = append(c.order, name)
	}
	return p.Settings, p.Origin, ""
}

// Profile returns a profile by name.
func (c *Config) Profile(name string) (*Profile, bool) {
	p, ok := c.profiles[name]
	return p, ok
}

// ProfileNames lists profiles in the order the files define them.
func (c *Config) ProfileNames() []string { return append([]string(nil), c.order...) }

// SSOSession returns an [sso-session NAME] section.
func (c *Config) SSOSession(name string) (Section, bool) {
	s, ok := c.ssoSessions[name]
	return s, ok
}

// Services returns a [services NAME] section.
func (c *Config) Services(name string) (Section, bool) {
	s, ok := c.services[name]
	return s, ok
}
