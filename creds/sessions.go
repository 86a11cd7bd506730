package creds

import (
	"maps"
	"slices"
)

// SSOSessionNames lists the [sso-session NAME] sections, sorted.
func (c *Config) SSOSessionNames() []string {
	return slices.Sorted(maps.Keys(c.ssoSessions))
}
