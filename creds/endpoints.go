package creds

import (
	"strings"
)

// service names an AWS service the way endpoint configuration does: the
// suffix of its AWS_ENDPOINT_URL_* variable and its key in a [services]
// section.
type service struct {
	envSuffix string
	configKey string
}

var (
	serviceSTS     = service{"STS", "sts"}
	serviceSSO     = service{"SSO", "sso"}
	serviceSSOOIDC = service{"SSO_OIDC", "sso_oidc"}
)

// endpoint resolves a service's configured endpoint for profile, in the
// documented order: service variable, the profile's services section, the
// global variable, the profile's endpoint_url. "" means the SDK default.
// hop resolves this itself because the SDK's credential clients skip some
// of these sources.
func (c *Config) endpoint(profile string, s service, getenv func(string) string) string {
	p, _ := c.Profile(profile)
	setting := func(key string) string {
		if p == nil {
			return ""
		}
		return p.Get(key)
	}
	if isTrue(getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) || isTrue(setting("ignore_configured_endpoint_urls")) {
		return ""
	}
	if v := getenv("AWS_ENDPOINT_URL_" + s.envSuffix); v != "" {
		return v
	}
	if name := setting("services"); name != "" {
		if sec, ok := c.Services(name); ok && sec[s.configKey+".endpoint_url"] != "" {
			return sec[s.configKey+".endpoint_url"]
		}
	}
	if v := getenv("AWS_ENDPOINT_URL"); v != "" {
		return v
	}
	return setting("endpoint_url")
}

func isTrue(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "true") }
