package creds

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

	// lazy is set while the sections are read through an index, each as
	// it is first asked for; looked holds what has been asked for.
	// lazyErr is the full parse's refusal, when the files changed.
	lazy    *sectionIndex
	looked  map[string]bool
	lazyErr error
}

// Profile is one named profile with the file each setting came from, so
// errors can point at the right file.
type Profile struct {
	Name     string
	Settings Section
	// file is where the profile's section is; origin names the file of
	// each key the credentials file set over a config file section.
	file   string
	origin map[string]string
	nested bool
}

// Section holds a section's keys (lower-cased, as the CLI treats them). A
// nested block such as "sts =\n  endpoint_url = ..." is stored as "sts"
// with an empty value and, for each of its lines, a key joined to "sts" by
// a newline, which no key can hold; Nested reads them.
type Section map[string]string

// Nested returns a line of a nested block, such as Nested("sts",
// "endpoint_url"). Nested keys keep their case, as in botocore.
func (s Section) Nested(block, key string) string { return s[block+nestedSep+key] }

const nestedSep = "\n"

// Get returns a profile setting, or "" when unset.
func (p *Profile) Get(key string) string { return p.Settings[key] }

// Has reports whether a setting is present, even when empty.
func (p *Profile) Has(key string) bool {
	_, ok := p.Settings[key]
	return ok
}

// FileOf names the file that set key, falling back to the config file.
func (c *Config) FileOf(p *Profile, key string) string {
	if f, ok := p.origin[key]; ok {
		return f
	}
	if p.file != "" && p.Has(key) {
		return p.file
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
	c, _, err := loadFiles(configPath, credentialsPath)
	return c, err
}

// loadFiles reads both files and also returns how each parsed, nil for a
// missing one.
func loadFiles(configPath, credentialsPath string) (*Config, [2]*iniFile, error) {
	var (
		files [2]*iniFile
		texts [2]string
		found [2]bool
	)
	paths := [2]string{configPath, credentialsPath}
	for i, path := range paths {
		data, err := ReadRegularFile(path, MaxConfigSize)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, files, fmt.Errorf("reading %s: %w", path, err)
		}
		texts[i], found[i] = textOf(data), true
	}
	// Sized for every section, so the maps never grow.
	sections := strings.Count(texts[0], "\n[") + strings.Count(texts[1], "\n[") + 2
	c := &Config{
		ConfigPath:      configPath,
		CredentialsPath: credentialsPath,
		profiles:        make(map[string]*Profile, sections),
		order:           make([]string, 0, sections),
		ssoSessions:     map[string]Section{},
		services:        map[string]Section{},
	}
	// The two files parse side by side, each on its own (at 10,000
	// profiles apiece, a parse is most of `hop list`'s time), and are
	// merged in order after: as in botocore, the config file is read
	// whole before the credentials file, so its problems are reported
	// first.
	var parsed [2]parsedFile
	var wg sync.WaitGroup
	if found[1] {
		wg.Go(func() { parsed[1] = parseFile(paths[1], texts[1]) })
	}
	if found[0] {
		parsed[0] = parseFile(paths[0], texts[0])
	}
	wg.Wait()
	for i, path := range paths {
		if !found[i] {
			continue
		}
		p := &parsed[i]
		if p.err != nil {
			return nil, files, p.err
		}
		for j := range p.file.sections {
			c.place(path, p.file.sections[j].header, p.settings[j], i == 1)
		}
		files[i] = p.file
	}
	return c, files, nil
}

// parsedFile is a file read as sections, each section's settings beside
// it.
type parsedFile struct {
	file     *iniFile
	settings []sectionSettings
	err      error
}

type sectionSettings struct {
	keys   Section
	nested bool
}

// parseFile reads text, and the settings of each of its sections, up to
// the first error, as adding them one by one would.
func parseFile(path, text string) parsedFile {
	f, err := readINI(path, text)
	if err != nil {
		return parsedFile{err: err}
	}
	out := parsedFile{file: f, settings: make([]sectionSettings, len(f.sections))}
	for j := range f.sections {
		s := &out.settings[j]
		if s.keys, s.nested, err = settingsOf(path, &f.sections[j], f.defaults); err != nil {
			return parsedFile{err: err}
		}
	}
	return out
}

// A file's sections are added as botocore reads them. In the config file
// profiles are "[profile NAME]" (or "[default]"), and of two sections
// naming one profile the later wins whole; in the credentials file every
// section is a profile, named by its whole header, whose keys override the
// config file's one by one.

// addSection adds one section of path to c.
func (c *Config) addSection(path string, sec, defaults *iniSection, credentials bool) error {
	settings, nested, err := settingsOf(path, sec, defaults)
	if err != nil {
		return err
	}
	c.place(path, sec.header, sectionSettings{settings, nested}, credentials)
	return nil
}

// place files the settings of a section of path, headed header, under
// its kind and name.
func (c *Config) place(path, header string, s sectionSettings, credentials bool) {
	kind, name, ok := byte(kindProfile), header, true
	if !credentials {
		kind, name, ok = sectionOf(header)
	}
	settings, nested := s.keys, s.nested
	switch {
	case !ok:
	case kind == kindSSOSession:
		c.ssoSessions[name] = settings
	case kind == kindServices:
		c.services[name] = settings
	case credentials:
		c.mergeProfile(name, settings, nested, path)
	default:
		c.putProfile(&Profile{Name: name, Settings: settings, file: path, nested: nested})
	}
}

// putProfile sets a config file profile, replacing any earlier section of
// the same name but keeping its place in the order.
func (c *Config) putProfile(p *Profile) {
	if _, ok := c.profiles[p.Name]; !ok {
		c.order = append(c.order, p.Name)
	}
	c.profiles[p.Name] = p
}

// mergeProfile lays a credentials file section over the config file's
// profile of that name, key by key, as botocore's session does.
func (c *Config) mergeProfile(name string, settings Section, nested bool, path string) {
	p, ok := c.profiles[name]
	if !ok {
		c.putProfile(&Profile{Name: name, Settings: settings, file: path, nested: nested})
		return
	}
	if p.nested {
		// A key set again drops the nested block it held.
		for key := range p.Settings {
			if block, _, ok := strings.Cut(key, nestedSep); ok {
				if _, set := settings[block]; set {
					delete(p.Settings, key)
				}
			}
		}
	}
	if p.origin == nil {
		p.origin = make(map[string]string, len(settings))
	}
	for key, value := range settings {
		p.Settings[key] = value
		p.origin[key] = path
	}
	p.nested = p.nested || nested
}

// settingsOf is a section's keys with its file's [DEFAULT] keys under
// them, nested blocks read as botocore reads them. nested reports whether
// there was one.
func settingsOf(path string, sec, defaults *iniSection) (s Section, nested bool, err error) {
	n := len(sec.keys)
	if defaults != nil {
		n += len(defaults.keys)
	}
	s = make(Section, n)
	add := func(k *iniKey) error {
		if _, ok := s[k.name]; ok {
			return nil
		}
		s[k.name] = k.value
		if !strings.HasPrefix(k.value, "\n") {
			return nil
		}
		nested = true
		s[k.name] = ""
		for _, line := range splitLinesPy(k.value) {
			if line = trimPy(line); line == "" {
				continue
			}
			key, value, ok := strings.Cut(line, "=")
			if !ok {
				return &SyntaxError{File: path, Line: k.line, Msg: fmt.Sprintf("%s's nested line %q is not \"key = value\"", k.name, line),
					Hint: "fix the line, or put the value on the key's own line (the AWS CLI refuses the file too)"}
			}
			s[k.name+nestedSep+trimPy(key)] = trimPy(value)
		}
		return nil
	}
	for i := range sec.keys {
		if err := add(&sec.keys[i]); err != nil {
			return nil, false, err
		}
	}
	if defaults != nil {
		for i := range defaults.keys {
			if err := add(&defaults.keys[i]); err != nil {
				return nil, false, err
			}
		}
	}
	return s, nested, nil
}

// Profile returns a profile by name.
func (c *Config) Profile(name string) (*Profile, bool) {
	if c.firstAsked(kindProfile, name) {
		if _, err := c.indexedProfile(name); err != nil {
			c.parseInFull(err)
		}
	}
	p, ok := c.profiles[name]
	return p, ok
}

// ProfileNames lists profiles in the order the files define them.
func (c *Config) ProfileNames() []string {
	// Listing them all is the full parse's job.
	c.parseInFull(nil)
	return append([]string(nil), c.order...)
}

// SSOSession returns an [sso-session NAME] section.
func (c *Config) SSOSession(name string) (Section, bool) {
	if c.firstAsked(kindSSOSession, name) {
		if err := c.indexedSection(kindSSOSession, name); err != nil {
			c.parseInFull(err)
		}
	}
	s, ok := c.ssoSessions[name]
	return s, ok
}

// Services returns a [services NAME] section.
func (c *Config) Services(name string) (Section, bool) {
	if c.firstAsked(kindServices, name) {
		if err := c.indexedSection(kindServices, name); err != nil {
			c.parseInFull(err)
		}
	}
	s, ok := c.services[name]
	return s, ok
}

// firstAsked reports whether a section must be read through the index:
// the config has one, and the section was not asked for before.
func (c *Config) firstAsked(kind byte, name string) bool {
	if c.lazy == nil {
		return false
	}
	key := string(kind) + name
	if c.looked[key] {
		return false
	}
	if c.looked == nil {
		c.looked = map[string]bool{}
	}
	c.looked[key] = true
	return true
}

// parseInFull stops reading through the index, because a read through it
// did not check out (why), or because every section is wanted: c parses
// both files and answers from that parse from now on.
func (c *Config) parseInFull(why error) {
	if c.lazy == nil {
		return
	}
	c.lazy.close()
	c.lazy, c.looked = nil, nil
	full, err := LoadConfig(c.ConfigPath, c.CredentialsPath)
	if err != nil {
		// The files changed since they were indexed, into ones hop
		// refuses.
		c.lazyErr = err
		c.profiles, c.order = map[string]*Profile{}, nil
		c.ssoSessions, c.services = map[string]Section{}, map[string]Section{}
		return
	}
	c.profiles, c.order, c.ssoSessions, c.services = full.profiles, full.order, full.ssoSessions, full.services
}

// Err reports that the files, read through the index, turned out to have
// changed into ones LoadConfig refuses; c's answers are then void.
func (c *Config) Err() error { return c.lazyErr }
