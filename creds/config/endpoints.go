package config

import (
	"strings"
)

// Service names an AWS Service the way Endpoint configuration does: the
// suffix of its AWS_ENDPOINT_URL_* variable and its key in a [services]
// section.
type Service struct {
	envSuffix string
	configKey string
}

var (
	ServiceSTS     = Service{"STS", "sts"}
	ServiceSSO     = Service{"SSO", "sso"}
	ServiceSSOOIDC = Service{"SSO_OIDC", "sso_oidc"}
	ServiceSignin  = Service{"SIGNIN", "signin"}
)

// Endpoint resolves a Service's configured Endpoint for profile, in the
// documented order: Service variable, the profile's services section, the
// global variable, the profile's endpoint_url. "" means the SDK default.
// hop resolves this itself because the SDK's credential clients skip some
// of these sources.
func (c *Config) Endpoint(profile string, s Service, getenv func(string) string) string {
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
		if sec, ok := c.Services(name); ok && sec.Nested(s.configKey, "endpoint_url") != "" {
			return sec.Nested(s.configKey, "endpoint_url")
		}
	}
	if v := getenv("AWS_ENDPOINT_URL"); v != "" {
		return v
	}
	return setting("endpoint_url")
}

func isTrue(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "true") }

// ServiceIAM is where hop rotate manages keys.
var ServiceIAM = Service{"IAM", "iam"}
