package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hop-cli/hop/creds/store"
)

// Config is the merged view of the user's AWS config and credentials files,
// read the way the AWS CLI reads them. Once its profiles have been listed
// (Profiles, ProfileNames), it is only read, and several goroutines may
// read it at once.
type Config struct {
	ConfigPath      string
	CredentialsPath string
	// HasStoredKey reports whether hop's keyring holds a long-term key for
	// a profile, which then wins over plaintext keys in the files; nil
	// means none is looked for. It may be called from several goroutines.
	HasStoredKey func(profile string) bool

	profiles map[string]*Profile
	// slab holds the profiles a full parse made, in one allocation.
	slab        []Profile
	ssoSessions map[string]Section
	services    map[string]Section
	order       []*Profile
	// sessionSettings holds SessionSettings' answers, which list's
	// goroutines share.
	sessionMu       sync.Mutex
	sessionSettings map[string]sessionSettings

	// lazy is set while the sections are read through an index, each as
	// it is first asked for; looked holds what has been asked for.
	// lazyErr is the full parse's refusal, when the files changed.
	// mismatch is the read through the index that did not check out, if
	// one did not.
	lazy     *sectionIndex
	looked   map[string]bool
	lazyErr  error
	mismatch error

	// noConfigFile is set when there is no config file at ConfigPath.
	noConfigFile bool
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
}

// Setting is one key of a section, lower-cased as the CLI treats keys,
// and its value.
type Setting struct {
	Key, Value string
	// line is where the key is in its file.
	line int
}

// Section holds a section's settings, each key once. A nested block such
// as "sts =\n  endpoint_url = ..." is stored as "sts" with an empty value
// and, for each of its lines, a key joined to "sts" by a newline, which no
// key can hold; Nested reads them.
//
// It is a slice, not a map: a section holds a handful of keys, which a
// scan finds sooner than a hash does, and a section as the file wrote it
// is the parser's own slice, nothing copied. A map per section was a
// large part of `hop list`'s memory (docs/performance.md).
type Section []Setting

// Lookup returns a key's value, and whether the section sets it.
func (s Section) Lookup(key string) (string, bool) {
	for i := range s {
		if s[i].Key == key {
			return s[i].Value, true
		}
	}
	return "", false
}

// Get returns a key's value, or "" when unset.
func (s Section) Get(key string) string {
	v, _ := s.Lookup(key)
	return v
}

// Nested returns a line of a nested block, such as Nested("sts",
// "endpoint_url"). Nested keys keep their case, as in botocore.
func (s Section) Nested(block, key string) string {
	for i := range s {
		k := s[i].Key
		if len(k) == len(block)+len(nestedSep)+len(key) && k[:len(block)] == block &&
			k[len(block):len(block)+len(nestedSep)] == nestedSep && k[len(block)+len(nestedSep):] == key {
			return s[i].Value
		}
	}
	return ""
}

const nestedSep = "\n"

// Get returns a profile setting, or "" when unset.
func (p *Profile) Get(key string) string { return p.Settings.Get(key) }

// Has reports whether a setting is present, even when empty.
func (p *Profile) Has(key string) bool {
	_, ok := p.Settings.Lookup(key)
	return ok
}

// sectionBuilder builds a Section whose keys may repeat in its input,
// the later value replacing the earlier. It finds keys by a scan while
// the section is small and through a map once it is large, so a hostile
// file of many keys still costs linear time.
type sectionBuilder struct {
	s  Section
	at map[string]int
}

func newSectionBuilder(n int) *sectionBuilder { return &sectionBuilder{s: make(Section, 0, n)} }

// find returns where key is in the section, or -1.
func (b *sectionBuilder) find(key string) int {
	if b.at != nil {
		if i, ok := b.at[key]; ok {
			return i
		}
		return -1
	}
	for i := range b.s {
		if b.s[i].Key == key {
			return i
		}
	}
	return -1
}

// set adds kv, or replaces the value of a key already there.
func (b *sectionBuilder) set(kv Setting) {
	if i := b.find(kv.Key); i >= 0 {
		b.s[i] = kv
		return
	}
	b.s = append(b.s, kv)
	switch {
	case b.at != nil:
		b.at[kv.Key] = len(b.s) - 1
	case len(b.s) > keyScanLimit:
		b.at = make(map[string]int, 2*len(b.s))
		for i := range b.s {
			b.at[b.s[i].Key] = i
		}
	}
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

// Load reads both files. A missing file is not an error: many users
// have only one of them.
func Load(configPath, credentialsPath string) (*Config, error) {
	c, _, err := loadFiles(configPath, credentialsPath, MaxFileSize)
	return c, err
}

// loadFiles reads both files and also returns how each parsed, nil for a
// missing one. Given MaxFileSize, the credentials file is read and parsed
// on a goroutine of its own while the config file is read, parsed and
// placed: for large files, that is most of `hop list`'s time. Given a
// smaller limit, for the two files together, it reads them one after the
// other (for small files a goroutine costs more than it saves: its stack,
// and a thread woken to run it, before a warm exec), failing with
// store.ErrFileTooLarge past the limit. Either way, as in botocore, the
// config file's problems are reported first.
func loadFiles(configPath, credentialsPath string, limit int64) (*Config, [2]*iniFile, error) {
	var files [2]*iniFile
	var second, first parsedFile
	var size chan int
	var done chan struct{}
	parallel := limit == MaxFileSize
	if parallel {
		size, done = make(chan int, 1), make(chan struct{})
		go func() {
			defer close(done)
			second = readFile(credentialsPath, MaxFileSize, size)
		}()
		first = readFile(configPath, MaxFileSize, nil)
	} else {
		second = readFile(credentialsPath, limit, nil)
		if errors.Is(second.err, store.ErrFileTooLarge) {
			return nil, files, second.err
		}
		first = readFile(configPath, limit-second.size, nil)
	}
	if first.err != nil {
		return nil, files, first.err
	}
	// Sized for every section, so the maps never grow.
	var sections int
	if parallel {
		sections = <-size
	} else if second.file != nil {
		sections = len(second.file.sections)
	}
	if first.file != nil {
		sections += len(first.file.sections)
	}
	c := &Config{
		ConfigPath:      configPath,
		CredentialsPath: credentialsPath,
		profiles:        make(map[string]*Profile, sections),
		slab:            make([]Profile, 0, sections),
		order:           make([]*Profile, 0, sections),
		ssoSessions:     map[string]Section{},
		services:        map[string]Section{},
	}
	c.noConfigFile = first.file == nil
	c.placeFile(configPath, first.file, false)
	if parallel {
		<-done
	}
	if second.err != nil {
		return nil, files, second.err
	}
	c.placeFile(credentialsPath, second.file, true)
	files[0], files[1] = first.file, second.file
	return c, files, nil
}

// maxDefaultSettings bounds what [DEFAULT] costs. Its keys belong to
// every section of its file, and are copied into each, as botocore copies
// them, so their cost is the product of the two: a small file of a few
// thousand of each fills the memory (docs/performance.md). Real configs
// set a few defaults.
const maxDefaultSettings = 1 << 22

// parsedFile is a file read as sections, each section's keys its
// settings; file is nil for a file that is not there. size is its length.
type parsedFile struct {
	file *iniFile
	size int64
	err  error
}

// readFile reads and parses the file at path, of at most limit bytes.
// When size is not nil, it sends there how many sections the file may
// hold, once it knows.
func readFile(path string, limit int64, size chan<- int) parsedFile {
	data, err := store.ReadRegularFile(path, limit)
	text := textOf(data)
	if size != nil {
		size <- strings.Count(text, "[")
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return parsedFile{}
	case err != nil:
		return parsedFile{err: fmt.Errorf("reading %s: %w", path, err)}
	}
	f := parseFile(path, text)
	f.size = int64(len(data))
	return f
}

// parseFile reads text, and the settings of each of its sections in place
// of their keys, up to the first error, as adding them one by one would.
func parseFile(path, text string) parsedFile {
	f, err := readINI(path, text)
	if err != nil {
		return parsedFile{err: err}
	}
	if f.defaults != nil && len(f.defaults.keys)*len(f.sections) > maxDefaultSettings {
		return parsedFile{err: &SyntaxError{File: path, Line: f.defaults.line,
			Msg: fmt.Sprintf("[DEFAULT]'s %d keys would be copied into each of the file's %d sections, more than the %d settings hop reads",
				len(f.defaults.keys), len(f.sections), maxDefaultSettings),
			Hint: "move the keys into the sections that need them"}}
	}
	for j := range f.sections {
		if f.sections[j].keys, err = settingsOf(path, &f.sections[j], f.defaults); err != nil {
			return parsedFile{err: err}
		}
	}
	return parsedFile{file: f}
}

// placeFile adds the sections of a parsed file, if there is one.
func (c *Config) placeFile(path string, f *iniFile, credentials bool) {
	if f == nil {
		return
	}
	for j := range f.sections {
		c.place(path, f.sections[j].header, f.sections[j].keys, credentials)
	}
}

// A file's sections are added as botocore reads them. In the config file
// profiles are "[profile NAME]" (or "[default]"), and of two sections
// naming one profile the later wins whole; in the credentials file every
// section is a profile, named by its whole header, whose keys override the
// config file's one by one.

// addSection adds one section of path to c.
func (c *Config) addSection(path string, sec, defaults *iniSection, credentials bool) error {
	settings, err := settingsOf(path, sec, defaults)
	if err != nil {
		return err
	}
	c.place(path, sec.header, settings, credentials)
	return nil
}

// place files the settings of a section of path, headed header, under
// its kind and name.
func (c *Config) place(path, header string, settings Section, credentials bool) {
	kind, name, ok := byte(kindProfile), header, true
	if !credentials {
		kind, name, ok = sectionOf(header)
	}
	switch {
	case !ok:
	case kind == kindSSOSession:
		c.ssoSessions[name] = settings
	case kind == kindServices:
		c.services[name] = settings
	case credentials:
		c.mergeProfile(name, settings, path)
	default:
		c.putProfile(Profile{Name: name, Settings: settings, file: path})
	}
}

// putProfile sets a config file profile, replacing any earlier section of
// the same name but keeping its place in the order.
func (c *Config) putProfile(p Profile) {
	if old, ok := c.profiles[p.Name]; ok {
		*old = p
		return
	}
	// Profiles are carved from one block when there is room: one
	// allocation, not one per profile.
	var at *Profile
	if len(c.slab) < cap(c.slab) {
		c.slab = c.slab[:len(c.slab)+1]
		at = &c.slab[len(c.slab)-1]
	} else {
		at = new(Profile)
	}
	*at = p
	c.profiles[p.Name] = at
	c.order = append(c.order, at)
}

// mergeProfile lays a credentials file section over the config file's
// profile of that name, key by key, as botocore's session does.
func (c *Config) mergeProfile(name string, settings Section, path string) {
	p, ok := c.profiles[name]
	if !ok {
		c.putProfile(Profile{Name: name, Settings: settings, file: path})
		return
	}
	b := newSectionBuilder(len(p.Settings) + len(settings))
	var over *sectionBuilder
	for _, kv := range p.Settings {
		if block, _, nested := strings.Cut(kv.Key, nestedSep); nested {
			if over == nil {
				over = newSectionBuilder(len(settings))
				for _, kv := range settings {
					over.set(kv)
				}
			}
			// A key set again drops the nested block it held.
			if over.find(block) >= 0 {
				continue
			}
		}
		b.set(kv)
	}
	if p.origin == nil {
		p.origin = make(map[string]string, len(settings))
	}
	for _, kv := range settings {
		b.set(kv)
		p.origin[kv.Key] = path
	}
	p.Settings = b.s
}

// settingsOf is a section's keys with its file's [DEFAULT] keys under
// them, nested blocks read as botocore reads them. A section with
// neither is the parser's slice as it is.
func settingsOf(path string, sec, defaults *iniSection) (Section, error) {
	n := len(sec.keys)
	if defaults != nil {
		n += len(defaults.keys)
	}
	if n == len(sec.keys) && !hasNested(sec.keys) {
		return sec.keys, nil
	}
	b := newSectionBuilder(n)
	// seen holds the keys set at the top level: the section's, then the
	// defaults' it does not set.
	seen := newSectionBuilder(n)
	add := func(k *Setting) error {
		if seen.find(k.Key) >= 0 {
			return nil
		}
		seen.set(Setting{Key: k.Key})
		if !strings.HasPrefix(k.Value, "\n") {
			b.set(*k)
			return nil
		}
		b.set(Setting{Key: k.Key, line: k.line})
		for _, line := range splitLinesPy(k.Value) {
			if line = trimPy(line); line == "" {
				continue
			}
			key, value, ok := strings.Cut(line, "=")
			if !ok {
				return &SyntaxError{File: path, Line: k.line, Msg: fmt.Sprintf("%s's nested line %q is not \"key = value\"", k.Key, line),
					Hint: "fix the line, or put the value on the key's own line (the AWS CLI refuses the file too)"}
			}
			b.set(Setting{Key: k.Key + nestedSep + trimPy(key), Value: trimPy(value), line: k.line})
		}
		return nil
	}
	for i := range sec.keys {
		if err := add(&sec.keys[i]); err != nil {
			return nil, err
		}
	}
	if defaults != nil {
		for i := range defaults.keys {
			if err := add(&defaults.keys[i]); err != nil {
				return nil, err
			}
		}
	}
	return b.s, nil
}

// hasNested reports whether a key opens a nested block.
func hasNested(keys []Setting) bool {
	for i := range keys {
		if strings.HasPrefix(keys[i].Value, "\n") {
			return true
		}
	}
	return false
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
	names := make([]string, 0, len(c.Profiles()))
	for _, p := range c.order {
		names = append(names, p.Name)
	}
	return names
}

// Profiles lists the profiles in the order the files define them. The
// caller must not change the list.
func (c *Config) Profiles() []*Profile {
	// Listing them all is the full parse's job.
	c.parseInFull(nil)
	return c.order
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
	c.lazy, c.looked, c.sessionSettings, c.mismatch = nil, nil, nil, why
	full, err := Load(c.ConfigPath, c.CredentialsPath)
	if err != nil {
		// The files changed since they were indexed, into ones hop
		// refuses.
		c.lazyErr = err
		c.profiles, c.order = map[string]*Profile{}, nil
		c.ssoSessions, c.services = map[string]Section{}, map[string]Section{}
		return
	}
	c.profiles, c.order, c.ssoSessions, c.services = full.profiles, full.order, full.ssoSessions, full.services
	c.noConfigFile = full.noConfigFile
}

// ConfigFileMissing reports that there is no file at ConfigPath, so that
// an error can say so rather than that a profile is not in it.
func (c *Config) ConfigFileMissing() bool { return c.noConfigFile }

// Err reports that the files, read through the index, turned out to have
// changed into ones Load refuses; c's answers are then void.
func (c *Config) Err() error { return c.lazyErr }

// MaxFileSize bounds the AWS config and credentials files hop reads: far
// above the largest organisation's config, and below what would exhaust
// the memory.
const MaxFileSize = 64 << 20
