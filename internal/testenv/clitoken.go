package testenv

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
)

// cliTime is how the AWS CLI writes times in its SSO cache.
const cliTime = "2006-01-02T15:04:05Z"

// CLIToken is an SSO token as the AWS CLI caches it in
// ~/.aws/sso/cache/<sha1 of the session name>.json.
type CLIToken struct {
	StartURL              string `json:"startUrl"`
	Region                string `json:"region"`
	AccessToken           string `json:"accessToken"`
	ExpiresAt             string `json:"expiresAt"`
	ClientID              string `json:"clientId"`
	ClientSecret          string `json:"clientSecret"`
	RegistrationExpiresAt string `json:"registrationExpiresAt"`
	RefreshToken          string `json:"refreshToken,omitempty"`
}

// CLITokenPath is where the AWS CLI caches the token of the "corp" session.
func (e *Env) CLITokenPath() string {
	sum := sha1.Sum([]byte(SSOSession))
	return filepath.Join(e.Home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
}

// LoginAWSCLI signs in to the emulator as `aws sso login --sso-session corp`
// would (device flow, approved on the emulator's side) and leaves the token
// in the AWS CLI's cache. Its requests show in e.IDC's counts. Set
// e.IDC.SetAccessTokenTTL first for a token near expiry.
func (e *Env) LoginAWSCLI(t testing.TB) CLIToken {
	t.Helper()
	ctx := t.Context()
	c := ssooidc.New(ssooidc.Options{Region: SSORegion, BaseEndpoint: aws.String(e.IDC.URL())})
	reg, err := c.RegisterClient(ctx, &ssooidc.RegisterClientInput{
		ClientName: aws.String("testenv"),
		ClientType: aws.String("public"),
		Scopes:     []string{"sso:account:access"},
	})
	if err != nil {
		t.Fatalf("registering with the emulator: %v", err)
	}
	dev, err := c.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{
		ClientId:     reg.ClientId,
		ClientSecret: reg.ClientSecret,
		StartUrl:     aws.String(StartURL),
	})
	if err != nil {
		t.Fatalf("starting device authorization: %v", err)
	}
	if err := e.IDC.Approve(aws.ToString(dev.UserCode)); err != nil {
		t.Fatal(err)
	}
	tok, err := c.CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId:     reg.ClientId,
		ClientSecret: reg.ClientSecret,
		GrantType:    aws.String("urn:ietf:params:oauth:grant-type:device_code"),
		DeviceCode:   dev.DeviceCode,
	})
	if err != nil {
		t.Fatalf("creating a token: %v", err)
	}
	cached := CLIToken{
		StartURL:              StartURL,
		Region:                SSORegion,
		AccessToken:           aws.ToString(tok.AccessToken),
		ExpiresAt:             time.Now().UTC().Add(time.Duration(tok.ExpiresIn) * time.Second).Format(cliTime),
		ClientID:              aws.ToString(reg.ClientId),
		ClientSecret:          aws.ToString(reg.ClientSecret),
		RegistrationExpiresAt: time.Unix(reg.ClientSecretExpiresAt, 0).UTC().Format(cliTime),
		RefreshToken:          aws.ToString(tok.RefreshToken),
	}
	out, err := json.Marshal(cached)
	if err != nil {
		t.Fatal(err)
	}
	path := e.CLITokenPath()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return cached
}

// ReadCLIToken reads the AWS CLI's cached token for the "corp" session, as
// the CLI or hop last wrote it.
func (e *Env) ReadCLIToken(t testing.TB) CLIToken {
	t.Helper()
	data, err := os.ReadFile(e.CLITokenPath())
	if err != nil {
		t.Fatal(err)
	}
	var tok CLIToken
	if err := json.Unmarshal(data, &tok); err != nil {
		t.Fatalf("parsing %s: %v", e.CLITokenPath(), err)
	}
	return tok
}
