package config

import (
	"maps"
	"slices"
)

// SSOSessionNames lists the [sso-session NAME] sections, sorted.
func (c *Config) SSOSessionNames() []string {
	// A read through the index holds only the sections asked for by
	// name: listing them all is the full parse's job.
	c.parseInFull(nil)
	return slices.Sorted(maps.Keys(c.ssoSessions))
}
