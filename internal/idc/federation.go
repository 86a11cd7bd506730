package idc

import (
	"encoding/json"
	"net/http"
	"strings"
)

// The federation endpoint (signin.aws.amazon.com/federation) has no public
// emulator either; the Identity Center emulator serves it so `hop console`
// can be tested end to end.
const (
	OpGetSigninToken = "GetSigninToken"
	OpConsoleLogin   = "ConsoleLogin"
)

// federation answers Action=getSigninToken with a token for temporary
// credentials, and Action=login by redirecting to the destination, as a
// browser following the sign-in URL would see it.
func (s *Server) federation(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch q.Get("Action") {
	case "getSigninToken":
		var session struct{ SessionID, SessionKey, SessionToken string }
		err := json.Unmarshal([]byte(q.Get("Session")), &session)
		// Only temporary credentials may sign in to the console.
		if err != nil || !strings.HasPrefix(session.SessionID, "ASIA") || session.SessionKey == "" || session.SessionToken == "" {
			http.Error(w, "invalid Session: temporary credentials (sessionId, sessionKey, sessionToken) are required", http.StatusBadRequest)
			return
		}
		token := secret("signin-")
		s.mu.Lock()
		s.signinTokens[token] = true
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]string{"SigninToken": token})
	case "login":
		s.mu.Lock()
		ok := s.signinTokens[q.Get("SigninToken")]
		s.mu.Unlock()
		dest := q.Get("Destination")
		if !ok || !strings.HasPrefix(dest, "https://") {
			http.Error(w, "invalid SigninToken or Destination", http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, dest, http.StatusFound)
	default:
		http.Error(w, "unknown Action", http.StatusBadRequest)
	}
}

// federationOp names a federation request by its Action.
func federationOp(r *http.Request) string {
	if r.URL.Query().Get("Action") == "login" {
		return OpConsoleLogin
	}
	return OpGetSigninToken
}
