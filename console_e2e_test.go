package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/hop-cli/hop/internal/testenv"
)

// echoServer is a hostile endpoint on loopback that answers every request
// with an error quoting the secrets the request carried: the federation
// endpoint's Session, STS's session token, a container endpoint's
// authorization token. A proxy or a debugging server in the way does the
// same.
type echoServer struct {
	url string
	mu  sync.Mutex
	// sessions are the federation Sessions received.
	sessions []map[string]string
}

func startEchoServer(t *testing.T) *echoServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &echoServer{url: "http://" + ln.Addr().String()}
	srv := &http.Server{Handler: http.HandlerFunc(s.serve)}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *echoServer) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Query().Get("Action") == "getSigninToken":
		raw := r.URL.Query().Get("Session")
		var session map[string]string
		json.Unmarshal([]byte(raw), &session)
		s.mu.Lock()
		s.sessions = append(s.sessions, session)
		s.mu.Unlock()
		http.Error(w, "invalid Session: "+raw+" "+session["sessionKey"], http.StatusBadRequest)
	case r.Header.Get("X-Amz-Security-Token") != "":
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>token %s is not allowed</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
			r.Header.Get("X-Amz-Security-Token"))
	default:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"code": "AccessDenied", "message": "bad token " + r.Header.Get("Authorization")})
	}
}

func (s *echoServer) received() []map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]string(nil), s.sessions...)
}

// TestRefusalsQuoteNoSecrets: an answer to a request that carried a
// secret is tainted: whatever it says, hop says the status and what to
// check, never its text, with or without --debug. The federation request
// carries the session's secret key and token; AssumeRole signed by a
// session carries its token; the container endpoint gets its
// authorization token.
func TestRefusalsQuoteNoSecrets(t *testing.T) {
	e := testenv.Start(t)
	echo := startEchoServer(t)
	const (
		staticToken    = "FwoGZXIvYXdzEStaticSessionTokenSECRET0123456789"
		staticSecret   = "staticSecretKeySECRET0123456789abcdefgh"
		containerToken = "ContainerAuthorizationTokenSECRET01234"
	)
	e.AppendConfig(t, `
[profile chained]
role_arn = arn:aws:iam::`+testenv.AccountID+`:role/Chained
source_profile = withtoken

[profile withtoken]
aws_access_key_id = ASIASTATICSESSION001
aws_secret_access_key = `+staticSecret+`
aws_session_token = `+staticToken+`

[profile container]
role_arn = arn:aws:iam::`+testenv.AccountID+`:role/Container
credential_source = EcsContainer
`)
	env := e.Environ()

	for _, debug := range []bool{false, true} {
		args := func(a ...string) []string {
			if debug {
				return append([]string{"--debug"}, a...)
			}
			return a
		}
		name := map[bool]string{false: "plain", true: "--debug"}[debug]

		t.Run("federation "+name, func(t *testing.T) {
			r := hop(t, setenv(env, "AWS_ENDPOINT_URL_SIGNIN="+echo.url), args("console", "requires3", "--print")...)
			failed(t, r, "HTTP 400", "AWS_ENDPOINT_URL_SIGNIN")
			got := echo.received()
			if len(got) == 0 || got[len(got)-1]["sessionKey"] == "" || got[len(got)-1]["sessionToken"] == "" {
				t.Fatalf("the federation endpoint got no session: %v", got)
			}
			s := got[len(got)-1]
			secrets := map[string]string{"the secret key": s["sessionKey"], "the session token": s["sessionToken"]}
			noSecrets(t, secrets, "stderr", r.stderr)
			noSecrets(t, secrets, "stdout", r.stdout)
		})

		t.Run("STS "+name, func(t *testing.T) {
			r := hop(t, setenv(env, "AWS_ENDPOINT_URL_STS="+echo.url), args("exec", "chained", "--", "true")...)
			failed(t, r, "profile chained", "HTTP 403")
			secrets := map[string]string{"the session token": staticToken, "the secret key": staticSecret}
			noSecrets(t, secrets, "stderr", r.stderr)
			noSecrets(t, secrets, "stdout", r.stdout)
		})

		t.Run("container endpoint "+name, func(t *testing.T) {
			r := hop(t, setenv(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI="+echo.url+"/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN="+containerToken),
				args("exec", "container", "--", "true")...)
			failed(t, r, "profile container", "HTTP 400")
			noSecrets(t, map[string]string{"the authorization token": containerToken}, "stderr", r.stderr+r.stdout)
		})
	}
}
