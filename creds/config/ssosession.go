package config

import (
	"errors"
	"fmt"
	"strings"
)

// SSOSettings are the Identity Center settings of an SSO hop.
type SSOSettings struct {
	// Session is the sso-session name; empty for the legacy form.
	Session   string
	StartURL  string
	Region    string
	Scopes    []string
	AccountID string
	RoleName  string
	// label names the source in a chain's parts, when made in advance.
	label string
}

// Label names the source in a chain's parts: "sso:" and the
// sso-session's name, or the start URL for the legacy form.
func (s *SSOSettings) Label() string {
	switch {
	case s.label != "":
		return s.label
	case s.Session != "":
		return "sso:" + s.Session
	}
	return "sso:" + s.StartURL
}

// SessionSettings reads an [sso-session NAME] section, for signing in
// without a profile.
func (c *Config) SessionSettings(name string) (*SSOSettings, error) {
	s := new(SSOSettings)
	if err := c.sessionSettingsInto(name, s); err != nil {
		return nil, err
	}
	return s, nil
}

// sessionSettingsInto is SessionSettings into s. The section is read
// once per name: `hop list` asks again for each SSO profile.
func (c *Config) sessionSettingsInto(name string, s *SSOSettings) error {
	c.sessionMu.Lock()
	r, ok := c.sessionSettings[name]
	if !ok {
		r.s, r.err = c.readSessionSettings(name)
		if c.sessionSettings == nil {
			c.sessionSettings = map[string]sessionSettings{}
		}
		c.sessionSettings[name] = r
	}
	c.sessionMu.Unlock()
	if r.err != nil {
		// A copy, for the caller to name its profile in.
		e := *r.err
		return &e
	}
	*s = *r.s
	return nil
}

// sessionSettings is what reading an sso-session found.
type sessionSettings struct {
	s   *SSOSettings
	err *Error
}

func (c *Config) readSessionSettings(name string) (*SSOSettings, *Error) {
	sess, ok := c.SSOSession(name)
	if !ok {
		return nil, &Error{File: c.ConfigPath, Key: "sso_session",
			Msg: fmt.Sprintf("sso_session %q has no [sso-session %s] section", name, name), Hint: "run 'aws configure sso-session' or fix the name"}
	}
	s := &SSOSettings{Session: name, StartURL: sess.Get("sso_start_url"), Region: sess.Get("sso_region"), label: "sso:" + name}
	for _, sc := range strings.Split(sess.Get("sso_registration_scopes"), ",") {
		if sc = strings.TrimSpace(sc); sc != "" {
			s.Scopes = append(s.Scopes, sc)
		}
	}
	if len(s.Scopes) == 0 {
		s.Scopes = []string{"sso:account:access"}
	}
	for _, key := range []string{"sso_start_url", "sso_region"} {
		if sess.Get(key) == "" {
			return nil, &Error{File: c.ConfigPath, Key: key, Msg: fmt.Sprintf("[sso-session %s] is missing %s", name, key), Hint: "add it"}
		}
	}
	return s, nil
}

// ProfileSSO reads an SSO profile's settings into s.
func (c *Config) ProfileSSO(p *Profile, s *SSOSettings) error {
	missing := func(key, where string) error {
		return &Error{Profile: p.Name, File: c.FileOf(p, "sso_account_id"), Key: key,
			Hint: "run 'aws configure sso' or add it", Msg: fmt.Sprintf("SSO profile is missing %s%s", key, where)}
	}
	if name := p.Get("sso_session"); name != "" {
		if err := c.sessionSettingsInto(name, s); err != nil {
			var e *Error
			if errors.As(err, &e) {
				e.Profile, e.File = p.Name, c.FileOf(p, "sso_session")
			}
			return err
		}
		for _, key := range []string{"sso_start_url", "sso_region"} {
			sess, _ := c.SSOSession(name)
			if v := p.Get(key); v != "" && v != sess.Get(key) {
				return &Error{Profile: p.Name, File: c.FileOf(p, key), Key: key,
					Hint: "remove it from the profile", Msg: fmt.Sprintf("%s %q differs from the one in [sso-session %s]", key, v, name)}
			}
		}
	} else {
		*s = SSOSettings{StartURL: p.Get("sso_start_url"), Region: p.Get("sso_region"), Scopes: []string{"sso:account:access"}}
		if s.StartURL == "" {
			return missing("sso_start_url", " (or sso_session)")
		}
		if s.Region == "" {
			return missing("sso_region", "")
		}
	}
	s.AccountID, s.RoleName = p.Get("sso_account_id"), p.Get("sso_role_name")
	if s.AccountID == "" {
		return missing("sso_account_id", "")
	}
	if s.RoleName == "" {
		return missing("sso_role_name", "")
	}
	return nil
}
