package config

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/hop-cli/hop/creds/store"
)

// A warm exec needs a handful of sections: the chain's profiles, the
// sso-session and services sections they name, and [default]. Parsing a
// large config to find them costs more than the rest of a warm exec
// (docs/performance.md), so hop keeps an index of
// where each section is, keyed by both files' identity (device, inode,
// size, modification and change times), and reads only those sections.
//
// The index must never change an answer:
//   - it is used only while both files have the identity it records, and
//     is written only for files whose change time is well in the past, so
//     a file rewritten within one clock tick is never mistaken for the
//     one indexed;
//   - every byte read from it is checked (a checksum over the header, one per
//     slot, bound to the header), and each section it points at must
//     parse as one section with the header asked for; anything else is a
//     miss, and a miss is the full parse;
//   - it is written only for files the full parse accepts and that have no
//     [DEFAULT] section (whose keys belong to every section).

// indexMagic starts every index file; the digit is the format's version.
const indexMagic = "hopidx02"

const (
	// slotSize is one hash table slot: key hash, section start and end,
	// check.
	slotSize = 32
	// slotsPerRead is how many slots one lookup reads at a time.
	slotsPerRead = 8
	// racyWindow is how recent a file's change may be for the index to
	// skip it: a later rewrite of the same size within the file system's
	// timestamp granularity would otherwise look unchanged.
	racyWindow = 2 * time.Second
	// kindCredentials marks a credentials file section in the index.
	kindCredentials = 'c'
)

// The checks are FNV-1a, which hash/fnv computes with no table: the CRC
// package the index used before built its table in every process that
// linked it, a warm exec's included. Each FNV-1a step is a bijection of
// its state for a given byte, so any one changed byte changes the sum.
func check32(b []byte) uint32 {
	h := fnv.New32a()
	h.Write(b)
	return h.Sum32()
}

// identity is what the index records of a file: if any of it changes, the
// file may have.
type identity struct {
	present                        bool
	dev, ino, size, mtime, ctimeNs uint64
}

// IndexDir is where hop keeps config indexes: beside its locks.
func IndexDir(getenv func(string) string) string {
	return filepath.Join(filepath.Dir(store.LocksFor(getenv, nil).Dir), "config-index")
}

// LoadIndexed returns what Load returns, reading only the
// sections asked for when the index in dir matches both files. Otherwise
// it parses both files in full and, when that succeeds, indexes them for
// next time. Failing to write the index is not an error.
//
// Files of at most smallConfig bytes together are parsed in full, without
// the index: parsing them costs less than opening the index and reading
// its slots, and a warm exec of a small config was slower through it.
// They are read with that bound, which a larger file fails at its fstat.
func LoadIndexed(configPath, credentialsPath, dir string) (*Config, error) {
	cfg, _, err := loadFiles(configPath, credentialsPath, smallConfig)
	if !errors.Is(err, store.ErrFileTooLarge) {
		return cfg, err
	}
	return loadIndexed(configPath, credentialsPath, dir, time.Now())
}

// smallConfig is the size below which the full parse beats the index's
// opens and preads.
const smallConfig = 8 << 10

// loadIndexed is LoadIndexed at the time now, which says which files
// changed too recently to index.
func loadIndexed(configPath, credentialsPath, dir string, now time.Time) (*Config, error) {
	paths := [2]string{configPath, credentialsPath}
	indexPath := filepath.Join(dir, indexName(paths))
	if x, ok := openIndex(indexPath, paths); ok {
		return &Config{ConfigPath: configPath, CredentialsPath: credentialsPath, lazy: x, noConfigFile: x.files[0] == nil,
			profiles: map[string]*Profile{}, ssoSessions: map[string]Section{}, services: map[string]Section{}}, nil
	}
	before, okBefore := identities(paths)
	cfg, files, err := loadFiles(configPath, credentialsPath, MaxFileSize)
	if err != nil {
		return nil, err
	}
	if after, ok := identities(paths); okBefore && ok && after == before && !racy(after, now) {
		if data, ok := buildIndex(paths, after, files); ok {
			store.WriteFileAtomic(indexPath, data)
		}
	}
	return cfg, nil
}

func indexName(paths [2]string) string {
	h := fnv.New64a()
	io.WriteString(h, paths[0]+"\x00"+paths[1])
	return hex.EncodeToString(h.Sum(nil))
}

func identities(paths [2]string) (ids [2]identity, ok bool) {
	for i, p := range paths {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return ids, false
		}
		if ids[i], ok = identityOf(fi); !ok {
			return ids, false
		}
	}
	return ids, true
}

func racy(ids [2]identity, started time.Time) bool {
	limit := uint64(started.Add(-racyWindow).UnixNano())
	for _, id := range ids {
		if id.present && (id.mtime >= limit || id.ctimeNs >= limit) {
			return true
		}
	}
	return false
}

func keyHash(kind byte, name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte{kind})
	io.WriteString(h, name)
	if sum := h.Sum64(); sum != 0 {
		return sum
	}
	// 0 marks an empty slot.
	return 1
}

// indexHeader is the index's fixed part: the files' paths and identities
// and the table's size, then a checksum of them, padded to a slot's size.
func indexHeader(paths [2]string, ids [2]identity, slots uint64) (header []byte, sum uint32) {
	b := []byte(indexMagic)
	for _, id := range ids {
		present := uint64(0)
		if id.present {
			present = 1
		}
		for _, v := range []uint64{present, id.dev, id.ino, id.size, id.mtime, id.ctimeNs} {
			b = binary.LittleEndian.AppendUint64(b, v)
		}
	}
	names := paths[0] + "\x00" + paths[1]
	b = binary.LittleEndian.AppendUint64(b, slots)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(names)))
	b = append(b, names...)
	sum = check32(b)
	b = binary.LittleEndian.AppendUint32(b, sum)
	for len(b)%slotSize != 0 {
		b = append(b, 0)
	}
	return b, sum
}

// slotsField is where the header holds the table's size.
const slotsField = len(indexMagic) + 2*6*8

func slotCheck(headerSum uint32, i, hash, start, end uint64) uint64 {
	var b [36]byte
	binary.LittleEndian.PutUint32(b[0:], headerSum)
	binary.LittleEndian.PutUint64(b[4:], i)
	binary.LittleEndian.PutUint64(b[12:], hash)
	binary.LittleEndian.PutUint64(b[20:], start)
	binary.LittleEndian.PutUint64(b[28:], end)
	h := fnv.New64a()
	h.Write(b[:])
	return h.Sum64()
}

// buildIndex lays out the index of two parsed files: for each key, the
// section that wins it in the full parse. ok is false where an index
// cannot stand in for the parse.
func buildIndex(paths [2]string, ids [2]identity, files [2]*iniFile) ([]byte, bool) {
	type span struct{ start, end uint64 }
	winners := map[uint64]map[string]span{}
	var keys []struct {
		hash uint64
		span
	}
	put := func(kind byte, name string, s span) {
		h := keyHash(kind, name)
		byName := winners[h]
		if byName == nil {
			byName = map[string]span{}
			winners[h] = byName
		}
		byName[string(kind)+name] = s
	}
	for i, f := range files {
		if f == nil {
			continue
		}
		if f.defaults != nil {
			return nil, false
		}
		for _, sec := range f.sections {
			s := span{uint64(sec.start), uint64(sec.end)}
			if i == 1 {
				put(kindCredentials, sec.header, s)
			} else if kind, name, ok := sectionOf(sec.header); ok {
				put(kind, name, s)
			}
		}
	}
	for h, byName := range winners {
		for _, s := range byName {
			keys = append(keys, struct {
				hash uint64
				span
			}{h, s})
		}
	}
	slots := uint64(8)
	for slots*3 < uint64(len(keys))*4 {
		slots *= 2
	}
	header, headerSum := indexHeader(paths, ids, slots)
	table := make([]byte, slots*slotSize)
	used := make([]bool, slots)
	for _, k := range keys {
		i := k.hash & (slots - 1)
		for used[i] {
			i = (i + 1) & (slots - 1)
		}
		used[i] = true
		b := table[i*slotSize:]
		binary.LittleEndian.PutUint64(b[0:], k.hash)
		binary.LittleEndian.PutUint64(b[8:], k.start)
		binary.LittleEndian.PutUint64(b[16:], k.end)
	}
	for i := range slots {
		b := table[i*slotSize:]
		h, start, end := binary.LittleEndian.Uint64(b[0:]), binary.LittleEndian.Uint64(b[8:]), binary.LittleEndian.Uint64(b[16:])
		binary.LittleEndian.PutUint64(b[24:], slotCheck(headerSum, i, h, start, end))
	}
	return append(header, table...), true
}

// sectionIndex reads an index whose files matched it when opened.
type sectionIndex struct {
	index     *os.File
	files     [2]*os.File
	paths     [2]string
	slots     uint64
	slotsAt   int64
	headerSum uint32
}

// openIndex opens the index at path and both files, and keeps them open
// only if the index is whole and records the files as they are now.
func openIndex(path string, paths [2]string) (*sectionIndex, bool) {
	// Opened without blocking: a FIFO planted at either path would hang
	// the front. Only regular files pass identityOf and the header check.
	index, err := os.OpenFile(path, os.O_RDONLY|store.OpenNonBlock, 0)
	if err != nil {
		return nil, false
	}
	x := &sectionIndex{index: index, paths: paths}
	var ids [2]identity
	for i, p := range paths {
		f, err := os.OpenFile(p, os.O_RDONLY|store.OpenNonBlock, 0)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			x.close()
			return nil, false
		}
		x.files[i] = f
		fi, err := f.Stat()
		var ok bool
		if err == nil {
			ids[i], ok = identityOf(fi)
		}
		if !ok {
			x.close()
			return nil, false
		}
	}
	blank, _ := indexHeader(paths, ids, 0)
	got := make([]byte, len(blank))
	if _, err := index.ReadAt(got, 0); err != nil {
		x.close()
		return nil, false
	}
	// The table's size is the one field the files do not determine.
	x.slots = binary.LittleEndian.Uint64(got[slotsField:])
	want, sum := indexHeader(paths, ids, x.slots)
	if string(got) != string(want) || x.slots == 0 || x.slots&(x.slots-1) != 0 || x.slots > 1<<40 {
		x.close()
		return nil, false
	}
	x.headerSum = sum
	x.slotsAt = int64(len(got))
	return x, true
}

func (x *sectionIndex) close() {
	x.index.Close()
	for _, f := range x.files {
		if f != nil {
			f.Close()
		}
	}
}

// errIndex is a read through the index that did not check out; the
// caller parses in full instead.
var errIndex = errors.New("the config index does not match the files")

// lookup returns the section that wins (kind, name) in the full parse,
// or nil when there is none.
func (x *sectionIndex) lookup(kind byte, name string) (*iniSection, error) {
	file := 0
	if kind == kindCredentials {
		file = 1
	}
	if x.files[file] == nil {
		return nil, nil
	}
	h := keyHash(kind, name)
	buf := make([]byte, slotsPerRead*slotSize)
	for i, probed := h&(x.slots-1), uint64(0); probed < x.slots; {
		n := min(uint64(slotsPerRead), x.slots-i)
		b := buf[:n*slotSize]
		if _, err := x.index.ReadAt(b, x.slotsAt+int64(i*slotSize)); err != nil {
			return nil, errIndex
		}
		for j := range n {
			s := b[j*slotSize:]
			sh, start, end := binary.LittleEndian.Uint64(s[0:]), binary.LittleEndian.Uint64(s[8:]), binary.LittleEndian.Uint64(s[16:])
			if binary.LittleEndian.Uint64(s[24:]) != slotCheck(x.headerSum, i+j, sh, start, end) {
				return nil, errIndex
			}
			if sh == 0 {
				return nil, nil
			}
			if sh != h {
				continue
			}
			sec, match, err := x.section(file, start, end, kind, name)
			if err != nil || match {
				return sec, err
			}
		}
		probed += n
		i = (i + n) & (x.slots - 1)
	}
	return nil, nil
}

// section reads and parses one indexed section, and says whether it is
// the one asked for rather than another whose key hashes alike.
func (x *sectionIndex) section(file int, start, end uint64, kind byte, name string) (*iniSection, bool, error) {
	if end <= start || end-start > 1<<31 {
		return nil, false, errIndex
	}
	text := make([]byte, end-start)
	if _, err := x.files[file].ReadAt(text, int64(start)); err != nil {
		return nil, false, errIndex
	}
	f, err := readINI(x.paths[file], string(text))
	if err != nil || len(f.sections) != 1 || f.defaults != nil {
		return nil, false, errIndex
	}
	sec := &f.sections[0]
	if file == 1 {
		return sec, sec.header == name, nil
	}
	k, n, ok := sectionOf(sec.header)
	return sec, ok && k == kind && n == name, nil
}

// indexedProfile builds a profile from its indexed sections exactly as
// the full parse would.
func (c *Config) indexedProfile(name string) (*Profile, error) {
	x := c.lazy
	sec, err := x.lookup(kindProfile, name)
	if err != nil {
		return nil, err
	}
	if sec != nil {
		if err := c.addSection(c.ConfigPath, sec, nil, false); err != nil {
			return nil, fmt.Errorf("%w: %w", errIndex, err)
		}
	}
	if sec, err = x.lookup(kindCredentials, name); err != nil {
		return nil, err
	}
	if sec != nil {
		if err := c.addSection(c.CredentialsPath, sec, nil, true); err != nil {
			return nil, fmt.Errorf("%w: %w", errIndex, err)
		}
	}
	return c.profiles[name], nil
}

// indexedSection loads an sso-session or services section.
func (c *Config) indexedSection(kind byte, name string) error {
	sec, err := c.lazy.lookup(kind, name)
	if err != nil || sec == nil {
		return err
	}
	if err := c.addSection(c.ConfigPath, sec, nil, false); err != nil {
		return fmt.Errorf("%w: %w", errIndex, err)
	}
	return nil
}
