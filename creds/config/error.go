package config

import (
	"fmt"
	"strings"
)

// Error is a configuration problem, found before any network call.
type Error struct {
	Profile string
	File    string
	Key     string
	Msg     string
	// Hint says what to do about it.
	Hint string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Profile != "" {
		fmt.Fprintf(&b, "profile %s: ", e.Profile)
	}
	b.WriteString(e.Msg)
	if e.File != "" {
		fmt.Fprintf(&b, " in %s", e.File)
	}
	if e.Hint != "" {
		b.WriteString("; " + e.Hint)
	}
	return b.String()
}
