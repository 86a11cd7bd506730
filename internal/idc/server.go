// Package idc emulates IAM Identity Center for tests: the SSO OIDC service
// (client registration, device authorization, the authorization-code grant
// with PKCE, token refresh), the browser pages a user would click through,
// the SSO portal (role credentials, account listing, logout), and the
// sign-in service's token endpoint that renews `aws login` sessions
// (AWS_ENDPOINT_URL_SIGNIN), DPoP-bound.
//
// It speaks the REST-JSON wire format that aws-sdk-go-v2 (service/sso,
// service/ssooidc) and botocore parse, on one base URL that serves as both
// AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC. State lives in memory.
//
// Each request is counted under its operation name (the Op* constants) and
// can be made to fail through the embedded faultproxy.Injector or Fail.
package idc

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/hop-cli/hop/internal/faultproxy"
)

// Operation names, as counted and as accepted by Fail and Inject.
const (
	OpRegisterClient           = "RegisterClient"
	OpStartDeviceAuthorization = "StartDeviceAuthorization"
	OpCreateToken              = "CreateToken"
	OpGetRoleCredentials       = "GetRoleCredentials"
	OpListAccounts             = "ListAccounts"
	OpListAccountRoles         = "ListAccountRoles"
	OpLogout                   = "Logout"
	// OpAuthorize is the browser's visit to the authorization endpoint.
	OpAuthorize = "Authorize"
	// OpVerify is the browser's visit to the device verification page.
	OpVerify = "Verify"
	// OpUnknown is any request that matches no route (answered 404).
	OpUnknown = "Unknown"
)

// Defaults for the zero values in Options, close to what AWS uses.
const (
	DefaultAccessTokenTTL     = 8 * time.Hour
	DefaultRefreshTokenTTL    = 90 * 24 * time.Hour
	DefaultClientSecretTTL    = 90 * 24 * time.Hour
	DefaultDeviceCodeTTL      = 10 * time.Minute
	DefaultPollInterval       = time.Second
	DefaultRoleCredentialsTTL = time.Hour
	authCodeTTL               = 5 * time.Minute
)

// Options configure a Server. Zero values take the defaults above.
type Options struct {
	// AutoApprove approves every device code as soon as it is issued, as
	// if the user had already clicked "Allow".
	AutoApprove bool
	// DenyAccess makes the browser pages answer as if the user clicked
	// "Deny": device codes fail with AccessDeniedException and /authorize
	// redirects with error=access_denied.
	DenyAccess bool
	// NoRefreshTokens stops refresh tokens being issued at all. Otherwise
	// they are issued to clients registered with scopes, as AWS does for
	// sso-session configurations.
	NoRefreshTokens bool
	// EnforcePollInterval answers SlowDownException to a device-code poll
	// that comes sooner than PollInterval after the previous one.
	EnforcePollInterval bool

	AccessTokenTTL     time.Duration
	RefreshTokenTTL    time.Duration
	ClientSecretTTL    time.Duration
	DeviceCodeTTL      time.Duration
	PollInterval       time.Duration // sent rounded up to whole seconds
	RoleCredentialsTTL time.Duration
	// LoginCredentialsTTL is how long a renewed `aws login` session's
	// credentials last.
	LoginCredentialsTTL time.Duration
	// MaxPageSize caps the pages ListAccounts and ListAccountRoles send,
	// whatever the client asks for, so tests see many pages from few
	// grants; 0 means no cap beyond the client's max_result.
	MaxPageSize int

	// Now is the clock, for tests that move time; time.Now by default.
	Now func() time.Time
}

// Credentials are what GetRoleCredentials hands out for a granted account
// and role. An empty SessionToken is sent as "", which suits long-term IAM
// user keys (moto refuses those when a session token comes with them).
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
}

// Server is the emulator. It is an http.Handler; Listen serves it on a
// loopback port. Safe for concurrent use.
type Server struct {
	*faultproxy.Injector

	handler http.Handler
	mux     *http.ServeMux
	routes  map[string]string // mux pattern -> operation name

	mu      sync.Mutex
	opts    Options
	clients map[string]*client
	devices map[string]*deviceGrant // by device code
	users   map[string]*deviceGrant // by user code
	codes   map[string]*authCode
	access  map[string]*issuedToken
	refresh map[string]*issuedToken
	grants  map[string]map[string]Credentials // account -> role -> creds
	// accountNames are ListAccounts' names, by account ID; an account
	// without one is "account-<ID>".
	accountNames map[string]string
	// signinTokens are the federation endpoint's issued tokens.
	signinTokens map[string]bool
	// logins are `aws login` sessions, by refresh token; dpopSeen the
	// proofs' jti values, each accepted once.
	logins   map[string]*loginGrant
	dpopSeen map[string]bool

	listener net.Listener
	server   *http.Server
	served   chan struct{}
}

// New returns an emulator with no grants.
func New(opts Options) *Server {
	if opts.AccessTokenTTL <= 0 {
		opts.AccessTokenTTL = DefaultAccessTokenTTL
	}
	if opts.RefreshTokenTTL <= 0 {
		opts.RefreshTokenTTL = DefaultRefreshTokenTTL
	}
	if opts.ClientSecretTTL <= 0 {
		opts.ClientSecretTTL = DefaultClientSecretTTL
	}
	if opts.DeviceCodeTTL <= 0 {
		opts.DeviceCodeTTL = DefaultDeviceCodeTTL
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	if opts.RoleCredentialsTTL <= 0 {
		opts.RoleCredentialsTTL = DefaultRoleCredentialsTTL
	}
	if opts.LoginCredentialsTTL <= 0 {
		opts.LoginCredentialsTTL = DefaultLoginCredentialsTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		Injector: faultproxy.NewInjector(),
		mux:      http.NewServeMux(),
		routes:   map[string]string{},
		opts:     opts,
		clients:  map[string]*client{},
		devices:  map[string]*deviceGrant{},
		users:    map[string]*deviceGrant{},
		codes:    map[string]*authCode{},
		access:   map[string]*issuedToken{},
		refresh:  map[string]*issuedToken{},
		grants:   map[string]map[string]Credentials{},

		accountNames: map[string]string{},

		signinTokens: map[string]bool{},

		logins:   map[string]*loginGrant{},
		dpopSeen: map[string]bool{},
	}
	s.route("POST /client/register", OpRegisterClient, s.registerClient)
	s.route("POST /device_authorization", OpStartDeviceAuthorization, s.startDeviceAuthorization)
	s.route("POST /token", OpCreateToken, s.createToken)
	s.route("GET /federation/credentials", OpGetRoleCredentials, s.getRoleCredentials)
	s.route("GET /assignment/accounts", OpListAccounts, s.listAccounts)
	s.route("GET /assignment/roles", OpListAccountRoles, s.listAccountRoles)
	s.route("POST /logout", OpLogout, s.logout)
	s.route("GET /authorize", OpAuthorize, s.authorize)
	s.route("GET /device", OpVerify, s.verify)
	s.route("GET /federation", OpGetSigninToken, s.federation)
	s.route("POST /v1/token", OpCreateOAuth2Token, s.createOAuth2Token)
	s.handler = s.Wrap(s.operation, s.mux)
	return s
}

func (s *Server) route(pattern, op string, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, h)
	s.routes[pattern] = op
}

func (s *Server) operation(r *http.Request) string {
	if r.URL.Path == "/federation" {
		return federationOp(r)
	}
	if _, pattern := s.mux.Handler(r); s.routes[pattern] != "" {
		return s.routes[pattern]
	}
	return OpUnknown
}

// ServeHTTP serves both the OIDC and the portal APIs and the browser pages.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Listen serves the emulator on addr, which must be a loopback address such
// as "127.0.0.1:0" (a free port).
func (s *Server) Listen(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("idc: listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("idc: listen address %q is not a loopback IP; use 127.0.0.1:0", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("idc: listening on %s: %w", addr, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener != nil {
		ln.Close()
		return errors.New("idc: already listening")
	}
	srv, served := &http.Server{Handler: s}, make(chan struct{})
	s.listener, s.server, s.served = ln, srv, served
	go func() {
		defer close(served)
		_ = srv.Serve(ln) // ends with ErrServerClosed on Close
	}()
	return nil
}

// URL is the base URL Listen serves on, for AWS_ENDPOINT_URL_SSO and
// AWS_ENDPOINT_URL_SSO_OIDC; empty before Listen.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener == nil {
		return ""
	}
	return "http://" + s.listener.Addr().String()
}

// Close stops serving. The Server keeps its state and can still be used as
// a handler.
func (s *Server) Close() error {
	s.mu.Lock()
	srv, served := s.server, s.served
	s.server, s.listener = nil, nil
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	err := srv.Close()
	<-served
	return err
}

// Grant lets signed-in users get creds for roleName in accountID.
func (s *Server) Grant(accountID, roleName string, creds Credentials) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.grants[accountID] == nil {
		s.grants[accountID] = map[string]Credentials{}
	}
	s.grants[accountID][roleName] = creds
}

// NameAccount sets the name ListAccounts gives accountID.
func (s *Server) NameAccount(accountID, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accountNames[accountID] = name
}

// Revoke takes roleName in accountID away again, and the account with it
// when no role is left.
func (s *Server) Revoke(accountID, roleName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.grants[accountID], roleName)
	if len(s.grants[accountID]) == 0 {
		delete(s.grants, accountID)
	}
}

// Approve plays the user confirming userCode in the browser.
func (s *Server) Approve(userCode string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.decide(userCode)
}

// SetAutoApprove switches Options.AutoApprove for device codes issued from
// now on.
func (s *Server) SetAutoApprove(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.AutoApprove = on
}

// SetMaxPageSize switches Options.MaxPageSize.
func (s *Server) SetMaxPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.MaxPageSize = n
}

// SetDenyAccess switches Options.DenyAccess.
func (s *Server) SetDenyAccess(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.DenyAccess = on
}

// SetAccessTokenTTL sets the lifetime of access tokens issued from now on,
// for example a few minutes to hand out tokens that are near expiry.
func (s *Server) SetAccessTokenTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.AccessTokenTTL = d
}

// SetRoleCredentialsTTL sets the lifetime of role credentials handed out
// from now on, for example under the 15 minutes an SDK wants left, to drive
// a refresh without waiting for an hour to pass.
func (s *Server) SetRoleCredentialsTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.RoleCredentialsTTL = d
}

// ExpireAccessTokens makes every access token issued so far expired: the
// portal answers 401 to them.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	expireAll(s.access, s.opts.Now())
}

// ExpireRefreshTokens makes every refresh token issued so far expired:
// refresh grants fail with InvalidGrantException.
func (s *Server) ExpireRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	expireAll(s.refresh, s.opts.Now())
}

func expireAll(tokens map[string]*issuedToken, now time.Time) {
	for _, t := range tokens {
		if t.expiresAt.After(now) {
			t.expiresAt = now
		}
	}
}

// Fail makes the next n requests of operation op answer status with an
// error of errorType, in the shape that operation's clients parse: OIDC
// operations as {"error": "...", "error_description": "..."} (so
// "SlowDownException" becomes error "slow_down"), portal operations as
// {"message": "..."}, both with the X-Amzn-Errortype header; browser
// pages as a short HTML page.
func (s *Server) Fail(op string, n, status int, errorType string) {
	s.Inject(op, n, errorFault(op, status, errorType))
}
