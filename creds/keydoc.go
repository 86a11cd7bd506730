package creds

import (
	"strconv"
	"unicode/utf8"
)

// The session key digests a JSON document of the chain's inputs. Every
// warm exec computes it, and encoding/json's first Marshal in a process
// builds its encoders by reflection: in the front that was a quarter of
// the warm path's own time and most of its fresh heap. keyDoc writes the
// same bytes json.Marshal wrote for the same document, so keys, and the
// sessions cached under them, carry over. TestKeyDocIsJSON fills every
// field of the types by reflection and compares with json.Marshal: a
// field added to Hop, SSOSettings or SessionToken and not written here
// fails it.

// keyInput is one hop as the key sees it.
type keyInput struct {
	Hop
	// Static is a static-key hop's access key ID.
	Static string `json:",omitempty"`
}

// keyDoc is the document SessionKey digests. Its tags are those the
// document had when json.Marshal wrote it, for the test to compare.
type keyDoc struct {
	Hops      []keyInput
	STS, SSO  string
	STSRegion string
	// Signin is set for `aws login` chains only, so adding it changed no
	// other chain's key.
	Signin string `json:",omitempty"`
}

func (d *keyDoc) append(b []byte) []byte {
	b = append(b, `{"Hops":`...)
	b = jsonArray(b, d.Hops, func(b []byte, in *keyInput) []byte { return in.append(b) })
	b = field(b, "STS", d.STS)
	b = field(b, "SSO", d.SSO)
	b = field(b, "STSRegion", d.STSRegion)
	if d.Signin != "" {
		b = field(b, "Signin", d.Signin)
	}
	return append(b, '}')
}

func (in *keyInput) append(b []byte) []byte {
	h := &in.Hop
	b = append(b, `{"Profile":`...)
	b = jsonString(b, h.Profile)
	b = field(b, "Kind", string(h.Kind))
	b = field(b, "RoleARN", h.RoleARN)
	b = field(b, "RoleSessionName", h.RoleSessionName)
	b = field(b, "ExternalID", h.ExternalID)
	b = field(b, "MFASerial", h.MFASerial)
	b = append(b, `,"Duration":`...)
	b = strconv.AppendInt(b, int64(h.Duration), 10)
	b = append(b, `,"SSO":`...)
	if s := h.SSO; s == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"Session":`...)
		b = jsonString(b, s.Session)
		b = field(b, "StartURL", s.StartURL)
		b = field(b, "Region", s.Region)
		b = append(b, `,"Scopes":`...)
		b = jsonArray(b, s.Scopes, func(b []byte, scope *string) []byte { return jsonString(b, *scope) })
		b = field(b, "AccountID", s.AccountID)
		b = field(b, "RoleName", s.RoleName)
		b = append(b, '}')
	}
	b = field(b, "Process", h.Process)
	b = field(b, "WebIdentityTokenFile", h.WebIdentityTokenFile)
	b = field(b, "StaticFile", h.StaticFile)
	if h.LoginSession != "" {
		b = field(b, "LoginSession", h.LoginSession)
	}
	b = append(b, `,"Session":`...)
	if s := h.Session; s == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"MFASerial":`...)
		b = jsonString(b, s.MFASerial)
		b = append(b, `,"Duration":`...)
		b = strconv.AppendInt(b, int64(s.Duration), 10)
		b = append(b, '}')
	}
	b = append(b, `,"MFAInSession":`...)
	b = strconv.AppendBool(b, h.MFAInSession)
	if in.Static != "" {
		b = field(b, "Static", in.Static)
	}
	return append(b, '}')
}

// jsonArray appends items as a JSON array, each written by each, or null
// for a nil slice, as json.Marshal writes them.
func jsonArray[T any](b []byte, items []T, each func([]byte, *T) []byte) []byte {
	if items == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = each(b, &items[i])
	}
	return append(b, ']')
}

// field appends `,"name":value`.
func field(b []byte, name, value string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return jsonString(b, value)
}

// jsonString appends s quoted as encoding/json quotes it by default:
// quote, backslash and controls escaped, the HTML characters <, > and &
// as \u escapes, invalid UTF-8 as U+FFFD, and the line and paragraph
// separators escaped.
func jsonString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\b':
				b = append(b, `\b`...)
			case c == '\f':
				b = append(b, `\f`...)
			case c == '\n':
				b = append(b, `\n`...)
			case c == '\r':
				b = append(b, `\r`...)
			case c == '\t':
				b = append(b, `\t`...)
			case c < ' ' || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
