package creds

import "bytes"

// readFlat reads a cached session as hop writes it (json.Marshal of
// Credentials: one flat object of plain ASCII strings) without
// encoding/json, whose first Unmarshal in a process builds its decoders
// by reflection: a warm exec reads one item and needs nothing else of
// it. It takes only what json.Unmarshal would read the same way: the
// exact field names, each once, and strings with no escape, control or
// non-ASCII byte. Anything else is not ok, and the caller hands the item
// to json.Unmarshal (FuzzParseCached holds the two to one answer).
func readFlat(data []byte) (cr Credentials, ok bool) {
	if len(data) < 2 || data[0] != '{' || data[len(data)-1] != '}' {
		return Credentials{}, false
	}
	rest := data[1 : len(data)-1]
	var seen [5]bool
	for len(rest) > 0 {
		name, quoted, tail, ok := flatPair(rest)
		if !ok {
			return Credentials{}, false
		}
		value := string(quoted[1 : len(quoted)-1])
		var field int
		switch name {
		case "AccessKeyId":
			field, cr.AccessKeyID = 0, value
		case "SecretAccessKey":
			field, cr.SecretAccessKey = 1, value
		case "SessionToken":
			field, cr.SessionToken = 2, value
		case "Expiration":
			// As json.Unmarshal reads it: through time.Time's own method.
			field = 3
			if cr.Expires.UnmarshalJSON(quoted) != nil {
				return Credentials{}, false
			}
		case "AccountId":
			field, cr.AccountID = 4, value
		default:
			return Credentials{}, false
		}
		if seen[field] {
			return Credentials{}, false
		}
		seen[field] = true
		if len(tail) > 0 {
			if tail[0] != ',' || len(tail) == 1 {
				return Credentials{}, false
			}
			tail = tail[1:]
		}
		rest = tail
	}
	return cr, true
}

// flatPair reads `"name":"value"` from the front of b; quoted is the
// value with its quotes.
func flatPair(b []byte) (name string, quoted, tail []byte, ok bool) {
	key, b, ok := flatString(b)
	if !ok || len(b) == 0 || b[0] != ':' {
		return "", nil, nil, false
	}
	quoted, tail, ok = flatString(b[1:])
	return string(key[1 : len(key)-1]), quoted, tail, ok
}

// flatString reads a quoted string of printable ASCII with no escape
// from the front of b, quotes and all.
func flatString(b []byte) (quoted, tail []byte, ok bool) {
	if len(b) == 0 || b[0] != '"' {
		return nil, nil, false
	}
	end := bytes.IndexByte(b[1:], '"')
	if end < 0 {
		return nil, nil, false
	}
	for _, c := range b[1 : 1+end] {
		if c < 0x20 || c > 0x7e || c == '\\' {
			return nil, nil, false
		}
	}
	return b[:end+2], b[end+2:], true
}
