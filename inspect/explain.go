package inspect

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/untrusted"
)

// Explain prints profile's chain as a tree, target first, with each hop's
// settings and cache state, then the problems it sees. It returns the
// resolver's error, if any, after printing what it can.
func Explain(w io.Writer, cfg *config.Config, profile string, cache Cache) error {
	w = filtered{w}
	chain, err := creds.Resolve(cfg, profile)
	if err != nil {
		fmt.Fprintf(w, "%s\n", profile)
		if path := links(cfg, profile); len(path) > 1 {
			fmt.Fprintf(w, "  source_profile chain: %s\n", strings.Join(path, " -> "))
		}
		fmt.Fprintf(w, "\nproblem:\n  ✗ %v\n", err)
		return err
	}
	fmt.Fprintf(w, "%s  (%s)\n", chain.Profile, chain.String())
	if chain.Region != "" {
		fmt.Fprintf(w, "region: %s\n", chain.Region)
	}
	for i := len(chain.Hops) - 1; i >= 0; i-- {
		depth := len(chain.Hops) - 1 - i
		pad := strings.Repeat("   ", depth)
		h := &chain.Hops[i]
		branch := ""
		if depth > 0 {
			branch = "└─ "
		}
		fmt.Fprintf(w, "%s%s%s: %s\n", pad, branch, h.Profile, describe(h))
		for _, kv := range settings(h) {
			fmt.Fprintf(w, "%s   %-18s %s\n", pad, kv[0], kv[1])
		}
		if h.Cacheable() {
			state := "not cached"
			if exp, ok := cache.session(chain, i); ok {
				state = "cached, " + cache.left(exp) + " left"
			}
			fmt.Fprintf(w, "%s   %-18s %s\n", pad, "session", state)
		}
		if h.Kind == creds.KindSSO {
			fmt.Fprintf(w, "%s   %-18s %s\n", pad, "sso token", cache.token(h.SSO))
		}
		if h.Kind == creds.KindStored {
			fmt.Fprintf(w, "%s   %-18s %s\n", pad, "key", cache.storedKey(h.Profile))
		}
		if h.Kind == creds.KindLogin {
			fmt.Fprintf(w, "%s   %-18s %s\n", pad, "aws login", cache.login(h))
		}
		if h.Kind == creds.KindStored && depth == 0 {
			// The federation endpoint refuses GetSessionToken's sessions.
			fmt.Fprintf(w, "%s   %-18s %s\n", pad, "console", "GetFederationToken with the key itself for 1h (--duration), policy allowing all the user may do, no MFA")
		}
	}
	if problems := Problems(chain); len(problems) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, p := range problems {
			fmt.Fprintf(w, "  ! %s\n", p)
		}
	}
	return nil
}

// filtered passes what is written through the untrusted filter, keeping
// the newlines of the layout: nearly every line of an explanation quotes
// the config, a path or an error.
type filtered struct{ w io.Writer }

func (f filtered) Write(p []byte) (int, error) {
	if _, err := io.WriteString(f.w, untrusted.Lines(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

func describe(h *creds.Hop) string {
	switch h.Kind {
	case creds.KindRole:
		return "assume role " + h.RoleARN
	case creds.KindSSO:
		return fmt.Sprintf("IAM Identity Center, role %s in account %s", h.SSO.RoleName, h.SSO.AccountID)
	case creds.KindStatic:
		return "static keys from " + h.StaticFile
	case creds.KindProcess:
		return "credential_process"
	case creds.KindWebIdentity:
		return "web identity, role " + h.RoleARN
	case creds.KindStored:
		return "long-term key in hop's keyring"
	case creds.KindLogin:
		return "aws login session as " + h.LoginSession
	}
	return "credentials from " + string(h.Kind)
}

func settings(h *creds.Hop) [][2]string {
	var out [][2]string
	add := func(k, v string) { out = append(out, [2]string{k, v}) }
	switch h.Kind {
	case creds.KindRole:
		add("role_session_name", orDefault(h.RoleSessionName, "hop-<unix time>"))
		if h.ExternalID != "" {
			add("external_id", "set")
		}
		if h.MFASerial != "" && h.MFAInSession {
			add("mfa_serial", h.MFASerial+" (its source's session was made with it: no code here)")
		} else if h.MFASerial != "" {
			add("mfa_serial", h.MFASerial)
		}
		dur := "1h (STS default)"
		if h.Duration > 0 {
			dur = Duration(h.Duration)
		}
		add("duration", dur)
	case creds.KindSSO:
		session := h.SSO.Session
		if session == "" {
			session = "(legacy form)"
		}
		add("sso_session", session)
		add("start url", h.SSO.StartURL)
		add("sso region", h.SSO.Region)
	case creds.KindProcess:
		add("command", h.Process)
	case creds.KindWebIdentity:
		add("token file", h.WebIdentityTokenFile)
	case creds.KindStored:
		switch s := h.Session; {
		case s == nil:
			add("get session", "no: the key is used as it is")
		case s.MFASerial != "":
			add("get session", "GetSessionToken for "+Duration(s.Duration)+", MFA "+s.MFASerial)
		default:
			add("get session", "GetSessionToken for "+Duration(s.Duration)+", no MFA")
		}
	}
	return out
}

// token reports the SSO token's state.
func (c Cache) token(s *config.SSOSettings) string {
	tok, err := c.Tokens.Load(s)
	switch {
	case err != nil:
		return "unreadable: " + err.Error()
	case tok == nil:
		return "none (hop will sign in)"
	case !tok.Expires().After(c.Now):
		if tok.RefreshToken != "" {
			return "expired (hop will refresh or sign in)"
		}
		return "expired (hop will sign in)"
	}
	return "valid, " + c.left(tok.Expires()) + " left (" + c.Tokens.Path(s) + ")"
}

// login reports an `aws login` session's state in the CLI's cache.
func (c Cache) login(h *creds.Hop) string {
	cache := creds.LoginCacheFor(c.Getenv)
	tok, err := cache.Load(h.LoginSession)
	switch {
	case errors.Is(err, creds.ErrNoLoginSession):
		return fmt.Sprintf("none (run 'aws login --profile %s'; hop does not sign in to it)", h.Profile)
	case err != nil:
		return "unreadable: " + err.Error()
	case !tok.ExpiresAt.After(c.Now):
		return "credentials expired (hop will renew them) (" + cache.Path(h.LoginSession) + ")"
	}
	return "valid, " + c.left(tok.ExpiresAt) + " left, then renewed (" + cache.Path(h.LoginSession) + ")"
}

// Problems lists what is legal but likely to surprise. A chained role's
// 1-hour cap is not among them: it is STS's default length anyway, and a
// chained role that asks for more (duration_seconds) is refused by
// creds.Resolve, whose error says so.
func Problems(chain *creds.Chain) []string {
	var out []string
	for i := 1; i < len(chain.Hops); i++ {
		h, src := chain.Hops[i], chain.Hops[i-1]
		chained := src.Kind == creds.KindSSO || src.Kind == creds.KindRole || src.Kind == creds.KindWebIdentity || src.Session != nil
		if h.Kind == creds.KindRole && src.Kind == creds.KindStored && src.Session == nil && h.Duration > time.Hour {
			out = append(out, fmt.Sprintf("%s asks for %s (duration_seconds), more than STS gives a role assumed with a session: it is assumed straight from %s's long-term key, with its own MFA code", h.Profile, Duration(h.Duration), src.Profile))
		}
		if h.Kind == creds.KindRole && chained && h.MFASerial != "" && !h.MFAInSession {
			out = append(out, fmt.Sprintf("%s sets mfa_serial on a chained role: the code is checked for this hop only; %s's session was not made with MFA", h.Profile, src.Profile))
		}
	}
	if root := chain.Hops[0]; root.Kind == creds.KindStored && root.StaticFile != "" {
		out = append(out, fmt.Sprintf("%s also has plaintext keys in %s, which the stored key shadows: delete aws_access_key_id and aws_secret_access_key there", root.Profile, root.StaticFile))
	}
	return out
}

// links follows source_profile from profile as far as it goes, stopping at
// a loop or a missing profile, to show where a broken chain breaks.
func links(cfg *config.Config, profile string) []string {
	var path []string
	seen := map[string]bool{}
	for name := profile; name != "" && !seen[name]; {
		seen[name] = true
		path = append(path, name)
		p, ok := cfg.Profile(name)
		if !ok {
			path[len(path)-1] += " (missing)"
			break
		}
		next := p.Get("source_profile")
		if seen[next] {
			path = append(path, next)
		}
		name = next
	}
	return path
}

func orDefault(v, def string) string {
	if v == "" {
		return def + " (default)"
	}
	return v
}
