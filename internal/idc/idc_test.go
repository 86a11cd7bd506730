package idc_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	"github.com/aws/smithy-go"

	"github.com/hop-cli/hop/internal/idc"
)

const (
	account  = "123412341234"
	role     = "AssumeRolePolicy"
	startURL = "https://corp.awsapps.com/start"
)

var granted = idc.Credentials{AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "example-secret", SessionToken: "example-token"}

// clock is a settable time source for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// world is an emulator on a loopback port with SDK clients pointed at it.
// The clients don't retry, so every call is one request.
type world struct {
	srv    *idc.Server
	oidc   *ssooidc.Client
	portal *sso.Client
}

func start(t *testing.T, opts idc.Options) *world {
	t.Helper()
	s := idc.New(opts)
	s.Grant(account, role, granted)
	if err := s.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &world{
		srv: s,
		oidc: ssooidc.New(ssooidc.Options{
			Region:       "us-east-1",
			BaseEndpoint: aws.String(s.URL()),
			Retryer:      aws.NopRetryer{},
		}),
		portal: sso.New(sso.Options{
			Region:       "us-east-1",
			BaseEndpoint: aws.String(s.URL()),
			Retryer:      aws.NopRetryer{},
		}),
	}
}

func (w *world) register(t *testing.T, scopes ...string) *ssooidc.RegisterClientOutput {
	t.Helper()
	reg, err := w.oidc.RegisterClient(t.Context(), &ssooidc.RegisterClientInput{
		ClientName: aws.String("hop-test"),
		ClientType: aws.String("public"),
		Scopes:     scopes,
	})
	if err != nil {
		t.Fatalf("RegisterClient: %v", err)
	}
	return reg
}

func (w *world) startDevice(t *testing.T, reg *ssooidc.RegisterClientOutput) *ssooidc.StartDeviceAuthorizationOutput {
	t.Helper()
	dev, err := w.oidc.StartDeviceAuthorization(t.Context(), &ssooidc.StartDeviceAuthorizationInput{
		ClientId:     reg.ClientId,
		ClientSecret: reg.ClientSecret,
		StartUrl:     aws.String(startURL),
	})
	if err != nil {
		t.Fatalf("StartDeviceAuthorization: %v", err)
	}
	return dev
}

func (w *world) pollDevice(ctx context.Context, reg *ssooidc.RegisterClientOutput, dev *ssooidc.StartDeviceAuthorizationOutput) (*ssooidc.CreateTokenOutput, error) {
	return w.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId:     reg.ClientId,
		ClientSecret: reg.ClientSecret,
		GrantType:    aws.String("urn:ietf:params:oauth:grant-type:device_code"),
		DeviceCode:   dev.DeviceCode,
	})
}

// signIn runs the device flow with auto-approval already on.
func (w *world) signIn(t *testing.T, scopes ...string) (*ssooidc.RegisterClientOutput, *ssooidc.CreateTokenOutput) {
	t.Helper()
	reg := w.register(t, scopes...)
	dev := w.startDevice(t, reg)
	if err := w.srv.Approve(aws.ToString(dev.UserCode)); err != nil {
		t.Fatal(err)
	}
	tok, err := w.pollDevice(t.Context(), reg, dev)
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	return reg, tok
}

func (w *world) roleCredentials(ctx context.Context, accessToken, roleName string) (*sso.GetRoleCredentialsOutput, error) {
	return w.portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{
		AccessToken: aws.String(accessToken),
		AccountId:   aws.String(account),
		RoleName:    aws.String(roleName),
	})
}

func (w *world) refresh(ctx context.Context, reg *ssooidc.RegisterClientOutput, refreshToken string) (*ssooidc.CreateTokenOutput, error) {
	return w.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId:     reg.ClientId,
		ClientSecret: reg.ClientSecret,
		GrantType:    aws.String("refresh_token"),
		RefreshToken: aws.String(refreshToken),
	})
}

// wantError fails unless err is (or wraps) an error of type T.
func wantError[T error](t *testing.T, err error) T {
	t.Helper()
	var target T
	if !errors.As(err, &target) {
		t.Fatalf("got error %v, want %T", err, target)
	}
	return target
}

// wantCode fails unless err is an API error with the given code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
		t.Fatalf("got error %v, want API error %s", err, code)
	}
}

func TestDeviceFlowEndToEnd(t *testing.T) {
	clk := newClock()
	w := start(t, idc.Options{Now: clk.Now})
	ctx := t.Context()

	reg := w.register(t, "sso:account:access")
	if got, want := reg.ClientSecretExpiresAt, clk.Now().Add(idc.DefaultClientSecretTTL).Unix(); got != want {
		t.Errorf("clientSecretExpiresAt = %d, want %d", got, want)
	}
	if reg.ClientIdIssuedAt != clk.Now().Unix() {
		t.Errorf("clientIdIssuedAt = %d, want %d", reg.ClientIdIssuedAt, clk.Now().Unix())
	}

	dev := w.startDevice(t, reg)
	if dev.Interval != 1 || dev.ExpiresIn != 600 {
		t.Errorf("interval, expiresIn = %d, %d; want 1, 600", dev.Interval, dev.ExpiresIn)
	}
	if want := w.srv.URL() + "/device?user_code=" + url.QueryEscape(aws.ToString(dev.UserCode)); aws.ToString(dev.VerificationUriComplete) != want {
		t.Errorf("verificationUriComplete = %q, want %q", aws.ToString(dev.VerificationUriComplete), want)
	}

	_, err := w.pollDevice(ctx, reg, dev)
	pending := wantError[*oidctypes.AuthorizationPendingException](t, err)
	if aws.ToString(pending.Error_) != "authorization_pending" {
		t.Errorf("error field = %q, want authorization_pending", aws.ToString(pending.Error_))
	}

	// The user opens the link and clicks Allow.
	resp, err := http.Get(aws.ToString(dev.VerificationUriComplete))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("verification page answered %s", resp.Status)
	}

	tok, err := w.pollDevice(ctx, reg, dev)
	if err != nil {
		t.Fatalf("CreateToken after approval: %v", err)
	}
	if aws.ToString(tok.TokenType) != "Bearer" || tok.ExpiresIn != int32(idc.DefaultAccessTokenTTL/time.Second) {
		t.Errorf("tokenType, expiresIn = %q, %d", aws.ToString(tok.TokenType), tok.ExpiresIn)
	}
	if aws.ToString(tok.AccessToken) == "" || aws.ToString(tok.RefreshToken) == "" {
		t.Fatalf("want an access and a refresh token, got %+v", tok)
	}

	_, err = w.pollDevice(ctx, reg, dev)
	wantError[*oidctypes.InvalidGrantException](t, err)

	creds, err := w.roleCredentials(ctx, aws.ToString(tok.AccessToken), role)
	if err != nil {
		t.Fatalf("GetRoleCredentials: %v", err)
	}
	rc := creds.RoleCredentials
	if aws.ToString(rc.AccessKeyId) != granted.AccessKeyID || aws.ToString(rc.SecretAccessKey) != granted.SecretAccessKey || aws.ToString(rc.SessionToken) != granted.SessionToken {
		t.Errorf("role credentials = %+v, want the granted ones", rc)
	}
	if want := clk.Now().Add(idc.DefaultRoleCredentialsTTL).UnixMilli(); rc.Expiration != want {
		t.Errorf("expiration = %d, want %d (epoch ms)", rc.Expiration, want)
	}

	want := map[string]int{
		idc.OpRegisterClient: 1, idc.OpStartDeviceAuthorization: 1, idc.OpCreateToken: 3,
		idc.OpVerify: 1, idc.OpGetRoleCredentials: 1,
	}
	for op, n := range want {
		if got := w.srv.Count(op); got != n {
			t.Errorf("Count(%s) = %d, want %d", op, got, n)
		}
	}
	if w.srv.Total() != 7 {
		t.Errorf("Total = %d, want 7 (counts %v)", w.srv.Total(), w.srv.Counts())
	}
	w.srv.Reset()
	if w.srv.Total() != 0 {
		t.Errorf("Total after Reset = %d", w.srv.Total())
	}
}

func TestDeviceFlowAutoApproveAndDeny(t *testing.T) {
	w := start(t, idc.Options{AutoApprove: true})
	reg := w.register(t)
	if _, err := w.pollDevice(t.Context(), reg, w.startDevice(t, reg)); err != nil {
		t.Fatalf("auto-approved device code: %v", err)
	}

	w.srv.SetAutoApprove(false)
	w.srv.SetDenyAccess(true)
	dev := w.startDevice(t, reg)
	resp, err := http.Get(aws.ToString(dev.VerificationUriComplete))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, err = w.pollDevice(t.Context(), reg, dev)
	wantError[*oidctypes.AccessDeniedException](t, err)

	if err := w.srv.Approve("NOPE-NOPE"); err == nil {
		t.Error("Approve of an unknown code succeeded")
	}
}

func TestSlowDown(t *testing.T) {
	clk := newClock()
	w := start(t, idc.Options{Now: clk.Now, EnforcePollInterval: true, PollInterval: 5 * time.Second})
	ctx := t.Context()
	reg := w.register(t)
	dev := w.startDevice(t, reg)
	if dev.Interval != 5 {
		t.Fatalf("interval = %d, want 5", dev.Interval)
	}

	_, err := w.pollDevice(ctx, reg, dev)
	wantError[*oidctypes.AuthorizationPendingException](t, err)
	clk.Advance(2 * time.Second)
	_, err = w.pollDevice(ctx, reg, dev)
	slow := wantError[*oidctypes.SlowDownException](t, err)
	if aws.ToString(slow.Error_) != "slow_down" {
		t.Errorf("error field = %q, want slow_down", aws.ToString(slow.Error_))
	}
	clk.Advance(5 * time.Second)
	_, err = w.pollDevice(ctx, reg, dev)
	wantError[*oidctypes.AuthorizationPendingException](t, err)

	// And on demand, whatever the timing.
	w.srv.Fail(idc.OpCreateToken, 1, http.StatusBadRequest, "SlowDownException")
	clk.Advance(time.Minute)
	_, err = w.pollDevice(ctx, reg, dev)
	wantError[*oidctypes.SlowDownException](t, err)
}

func TestExpiries(t *testing.T) {
	clk := newClock()
	w := start(t, idc.Options{Now: clk.Now, AccessTokenTTL: time.Hour})
	ctx := t.Context()

	reg, tok := w.signIn(t)
	dev := w.startDevice(t, reg)
	clk.Advance(idc.DefaultDeviceCodeTTL)
	_, err := w.pollDevice(ctx, reg, dev)
	wantError[*oidctypes.ExpiredTokenException](t, err)

	if _, err := w.roleCredentials(ctx, aws.ToString(tok.AccessToken), role); err != nil {
		t.Fatalf("token within its hour: %v", err)
	}
	clk.Advance(time.Hour)
	_, err = w.roleCredentials(ctx, aws.ToString(tok.AccessToken), role)
	wantError[*ssotypes.UnauthorizedException](t, err)

	clk.Advance(idc.DefaultClientSecretTTL)
	_, err = w.oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String(startURL),
	})
	wantError[*oidctypes.InvalidClientException](t, err)
}

func TestRefreshGrant(t *testing.T) {
	w := start(t, idc.Options{AutoApprove: true})
	ctx := t.Context()

	reg, tok := w.signIn(t, "sso:account:access")
	fresh, err := w.refresh(ctx, reg, aws.ToString(tok.RefreshToken))
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if aws.ToString(fresh.AccessToken) == aws.ToString(tok.AccessToken) || aws.ToString(fresh.RefreshToken) == "" || aws.ToString(fresh.RefreshToken) == aws.ToString(tok.RefreshToken) {
		t.Fatalf("refresh should give new access and refresh tokens, got %+v", fresh)
	}
	if _, err := w.roleCredentials(ctx, aws.ToString(fresh.AccessToken), role); err != nil {
		t.Fatalf("refreshed token: %v", err)
	}
	// Refresh tokens are single use.
	_, err = w.refresh(ctx, reg, aws.ToString(tok.RefreshToken))
	wantError[*oidctypes.InvalidGrantException](t, err)

	// Another client may not use this client's refresh token.
	other := w.register(t, "sso:account:access")
	_, err = w.refresh(ctx, other, aws.ToString(fresh.RefreshToken))
	wantError[*oidctypes.InvalidGrantException](t, err)

	w.srv.ExpireRefreshTokens()
	_, err = w.refresh(ctx, reg, aws.ToString(fresh.RefreshToken))
	wantError[*oidctypes.InvalidGrantException](t, err)

	// Clients registered without scopes (the legacy configuration) get
	// no refresh token.
	if _, legacy := w.signIn(t); legacy.RefreshToken != nil {
		t.Errorf("a client without scopes got a refresh token")
	}
	noRefresh := start(t, idc.Options{AutoApprove: true, NoRefreshTokens: true})
	if _, tok := noRefresh.signIn(t, "sso:account:access"); tok.RefreshToken != nil {
		t.Errorf("NoRefreshTokens still issued a refresh token")
	}
}

func TestShortTokensAndServerSideExpiry(t *testing.T) {
	w := start(t, idc.Options{AutoApprove: true})
	ctx := t.Context()
	w.srv.SetAccessTokenTTL(5 * time.Minute)
	_, tok := w.signIn(t, "sso:account:access")
	if tok.ExpiresIn != 300 {
		t.Errorf("expiresIn = %d, want 300", tok.ExpiresIn)
	}
	w.srv.ExpireAccessTokens()
	_, err := w.roleCredentials(ctx, aws.ToString(tok.AccessToken), role)
	wantError[*ssotypes.UnauthorizedException](t, err)
}

func TestPortal(t *testing.T) {
	w := start(t, idc.Options{AutoApprove: true})
	w.srv.Grant(account, "ReadOnly", granted)
	w.srv.Grant("999999999999", "Admin", granted)
	ctx := t.Context()
	reg, tok := w.signIn(t, "sso:account:access")
	access := aws.ToString(tok.AccessToken)

	_, err := w.roleCredentials(ctx, "not-a-token", role)
	un := wantError[*ssotypes.UnauthorizedException](t, err)
	if aws.ToString(un.Message) == "" {
		t.Error("UnauthorizedException without a message")
	}
	_, err = w.roleCredentials(ctx, access, "NotGranted")
	wantCode(t, err, "ForbiddenException")

	var accounts []string
	pages := sso.NewListAccountsPaginator(w.portal, &sso.ListAccountsInput{AccessToken: aws.String(access), MaxResults: aws.Int32(1)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListAccounts: %v", err)
		}
		for _, a := range page.AccountList {
			accounts = append(accounts, aws.ToString(a.AccountId))
		}
	}
	if len(accounts) != 2 || accounts[0] != account || accounts[1] != "999999999999" {
		t.Errorf("accounts = %v", accounts)
	}
	roles, err := w.portal.ListAccountRoles(ctx, &sso.ListAccountRolesInput{AccessToken: aws.String(access), AccountId: aws.String(account)})
	if err != nil {
		t.Fatalf("ListAccountRoles: %v", err)
	}
	if len(roles.RoleList) != 2 || aws.ToString(roles.RoleList[0].RoleName) != role || aws.ToString(roles.RoleList[1].RoleName) != "ReadOnly" {
		t.Errorf("roles = %+v", roles.RoleList)
	}

	if _, err := w.portal.Logout(ctx, &sso.LogoutInput{AccessToken: aws.String(access)}); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	_, err = w.roleCredentials(ctx, access, role)
	wantError[*ssotypes.UnauthorizedException](t, err)
	// Logout ends the whole sign-in, refresh token included.
	_, err = w.refresh(ctx, reg, aws.ToString(tok.RefreshToken))
	wantError[*oidctypes.InvalidGrantException](t, err)
}

func TestInvalidRequests(t *testing.T) {
	w := start(t, idc.Options{})
	ctx := t.Context()
	_, err := w.oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("x"), ClientType: aws.String("confidential")})
	wantError[*oidctypes.InvalidClientMetadataException](t, err)

	reg := w.register(t)
	_, err = w.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: aws.String("wrong"), GrantType: aws.String("refresh_token"), RefreshToken: aws.String("x")})
	wantError[*oidctypes.InvalidClientException](t, err)
	_, err = w.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("password")})
	wantError[*oidctypes.UnsupportedGrantTypeException](t, err)
	// A device-code client may not use the authorization-code grant.
	_, err = w.oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, GrantType: aws.String("authorization_code"), Code: aws.String("x")})
	wantError[*oidctypes.UnauthorizedClientException](t, err)

	resp, err := http.Get(w.srv.URL() + "/no/such/path")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || w.srv.Count(idc.OpUnknown) != 1 {
		t.Errorf("unknown path: %s, counted %d", resp.Status, w.srv.Count(idc.OpUnknown))
	}
}

func TestListenOnlyOnLoopback(t *testing.T) {
	s := idc.New(idc.Options{})
	if err := s.Listen("0.0.0.0:0"); err == nil {
		s.Close()
		t.Fatal("Listen on 0.0.0.0 succeeded")
	}
}
