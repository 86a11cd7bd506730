package store

import (
	"encoding/binary"
	"errors"
	"strings"

	"golang.org/x/sys/unix"
)

// holdsKeyctl finds an item in the kernel keyring store (see peekKeyctl)
// without reading it.
func holdsKeyctl(key string) bool {
	ring, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", Name, 0)
	if err != nil {
		return false
	}
	_, err = unix.KeyctlSearch(ring, "user", key, 0)
	return err == nil
}

// keyctlItems is the set of item names in the kernel keyring store, read
// in one listing: two system calls and one per key held, where a search
// per question is two per question. It is empty when there is no store,
// and nil when a key cannot be described, so each question is searched
// for on its own.
func keyctlItems() map[string]bool {
	ring, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", Name, 0)
	if errors.Is(err, unix.ENOKEY) {
		return map[string]bool{}
	}
	if err != nil {
		return nil
	}
	// Reading a keyring gives its keys' serial numbers, 4 bytes each.
	var ids []byte
	for {
		n, err := unix.KeyctlBuffer(unix.KEYCTL_READ, ring, ids, 0)
		if err != nil {
			return nil
		}
		if n <= len(ids) {
			ids = ids[:n]
			break
		}
		ids = make([]byte, n)
	}
	items := make(map[string]bool, len(ids)/4)
	for i := 0; i+4 <= len(ids); i += 4 {
		desc, err := unix.KeyctlString(unix.KEYCTL_DESCRIBE, int(int32(binary.NativeEndian.Uint32(ids[i:]))))
		switch {
		case errors.Is(err, unix.ENOKEY), errors.Is(err, unix.EKEYEXPIRED), errors.Is(err, unix.EKEYREVOKED):
			// Gone, or dead: no search finds it either.
			continue
		case err != nil:
			return nil
		}
		// "type;uid;gid;perm;description", where only the description
		// may hold a ";".
		if f := strings.SplitN(desc, ";", 5); len(f) == 5 && f[0] == "user" {
			items[f[4]] = true
		}
	}
	return items
}
