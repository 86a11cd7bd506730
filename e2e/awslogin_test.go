//go:build e2e && unix

package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/logincreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/signin"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/hop-cli/hop/internal/idc"
	"github.com/hop-cli/hop/internal/testenv"
)

const loginUser = "login-user"

var loginARN = "arn:aws:iam::" + testenv.AccountID + ":user/" + loginUser

// loginConfig is a profile `aws login --profile dev` would have written,
// and a role on top of it. moto lets anyone assume a role that does not
// exist, so LoginAdmin's trust is not in the way; the user's own policy
// (sts:AssumeRole) is.
const loginConfig = `
[profile dev]
login_session = arn:aws:iam::123412341234:user/login-user
region = ap-northeast-1

[profile dev-admin]
role_arn = arn:aws:iam::123412341234:role/LoginAdmin
source_profile = dev
`

// awsLogin is an `aws login` session: the emulator's side and the file
// the CLI would have cached, written in the CLI's documented format.
type awsLogin struct {
	path string
	sess idc.LoginSession
	key  *ecdsa.PrivateKey
}

// startAWSLogin signs in as `aws login` would, valid for another left.
// The cache's credentials always carry a session token, and moto takes
// only its own sessions' (not GetSessionToken's): they are a session of
// role LoginSession, which may assume roles.
func startAWSLogin(t *testing.T, e *testenv.Env, left time.Duration) *awsLogin {
	t.Helper()
	keys := e.NewUser(t, loginUser, "sts:AssumeRole")
	admin := iam.NewFromConfig(e.AWS(e.Admin.Credentials()))
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + loginARN + `"},"Action":"sts:AssumeRole"}]}`
	if _, err := admin.CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String("LoginSession"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
		t.Fatal(err)
	}
	allow := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:GetCallerIdentity"],"Resource":"*"}]}`
	if _, err := admin.PutRolePolicy(t.Context(), &iam.PutRolePolicyInput{RoleName: aws.String("LoginSession"), PolicyName: aws.String("assume"), PolicyDocument: aws.String(allow)}); err != nil {
		t.Fatal(err)
	}
	out, err := sts.NewFromConfig(e.AWS(keys.Credentials())).AssumeRole(t.Context(), &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + testenv.AccountID + ":role/LoginSession"), RoleSessionName: aws.String(loginUser)})
	if err != nil {
		t.Fatal(err)
	}
	c := idc.Credentials{AccessKeyID: *out.Credentials.AccessKeyId, SecretAccessKey: *out.Credentials.SecretAccessKey, SessionToken: *out.Credentials.SessionToken}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	l := &awsLogin{key: key, sess: e.IDC.StartLogin(loginARN, &key.PublicKey, c)}
	sum := sha256.Sum256([]byte(loginARN))
	l.path = filepath.Join(e.Home, ".aws", "login", "cache", hex.EncodeToString(sum[:])+".json")
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := json.MarshalIndent(map[string]any{
		"accessToken": map[string]string{
			"accessKeyId": c.AccessKeyID, "secretAccessKey": c.SecretAccessKey, "sessionToken": c.SessionToken,
			"accountId": testenv.AccountID, "expiresAt": time.Now().Add(left).UTC().Format(time.RFC3339),
		},
		"tokenType":     "aws_sigv4",
		"refreshToken":  l.sess.RefreshToken,
		"identityToken": "id-token-from-aws-login",
		"clientId":      l.sess.ClientID,
		"dpopKey":       string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})),
	}, "", "  ")
	if err := os.MkdirAll(filepath.Dir(l.path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(l.path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	e.AppendConfig(t, loginConfig)
	e.ResetCounts()
	return l
}

// TestAWSLoginSession: a login_session profile and a role on it run on
// the session the CLI cached, with no call to the sign-in service while
// it is fresh, and warm from hop's cache the second time: no call at all.
func TestAWSLoginSession(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	startAWSLogin(t, e, time.Hour)

	r := hop(t, env, "exec", "dev", "--", "aws", "sts", "get-caller-identity", "--query", "Arn", "--output", "text")
	if r.code != 0 || !strings.Contains(r.stdout, ":assumed-role/LoginSession/"+loginUser) {
		t.Fatalf("exec dev: exit %d, stdout %q, stderr %s; want the session aws login cached", r.code, r.stdout, r.stderr)
	}
	r = hop(t, env, "exec", "dev-admin", "--", "aws", "sts", "get-caller-identity", "--query", "Arn", "--output", "text")
	if r.code != 0 || !strings.Contains(r.stdout, ":assumed-role/LoginAdmin/") {
		t.Fatalf("exec dev-admin: exit %d, stdout %q, stderr %s; want the LoginAdmin role", r.code, r.stdout, r.stderr)
	}
	if n := e.IDC.Count(idc.OpCreateOAuth2Token); n != 0 {
		t.Errorf("%d renewals of a session fresh for an hour", n)
	}
	if n := e.Moto.Count("sts:AssumeRole"); n != 1 {
		t.Errorf("%d AssumeRole calls, want 1", n)
	}

	e.ResetCounts()
	for _, profile := range []string{"dev", "dev-admin"} {
		if r := hop(t, env, "exec", profile, "--", "true"); r.code != 0 {
			t.Fatalf("warm exec %s: exit %d, stderr %s", profile, r.code, r.stderr)
		}
	}
	if n := e.Calls(); n != 0 {
		t.Errorf("warm runs made %d calls, want none", n)
	}

	r = hop(t, env, "explain", "dev-admin")
	if r.code != 0 || !strings.Contains(r.stdout, "aws login session as "+loginARN) || !strings.Contains(r.stdout, "valid, ") {
		t.Errorf("explain dev-admin: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestAWSLoginRenewedOnce: a session near its end is renewed once, however
// many hops start together, and written back in the CLI's format, 0600,
// readable by the SDK's own reader.
func TestAWSLoginRenewedOnce(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	l := startAWSLogin(t, e, 2*time.Minute)

	var wg sync.WaitGroup
	results := make([]result, 6)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = hop(t, env, "exec", "dev", "--", "true")
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 {
			t.Fatalf("hop %d: exit %d, stderr %s", i, r.code, r.stderr)
		}
	}
	if n := e.IDC.Count(idc.OpCreateOAuth2Token); n != 1 {
		t.Fatalf("%d renewals by 6 hops, want 1", n)
	}

	info, err := os.Stat(l.path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode %v, want 0600", info.Mode().Perm())
	}
	var doc struct {
		AccessToken struct {
			ExpiresAt time.Time `json:"expiresAt"`
		} `json:"accessToken"`
		RefreshToken  string `json:"refreshToken"`
		IdentityToken string `json:"identityToken"`
		TokenType     string `json:"tokenType"`
	}
	if err := json.Unmarshal([]byte(readFile(t, l.path)), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.RefreshToken == l.sess.RefreshToken || doc.AccessToken.ExpiresAt.Before(time.Now().Add(10*time.Minute)) {
		t.Errorf("written back: refresh token rotated %v, expires %s", doc.RefreshToken != l.sess.RefreshToken, doc.AccessToken.ExpiresAt)
	}
	if doc.IdentityToken != "id-token-from-aws-login" || doc.TokenType != "aws_sigv4" {
		t.Errorf("fields hop does not use were lost: %+v", doc)
	}
	// The SDK (as the CLI would) takes the file as it is, with no call.
	e.ResetCounts()
	client := signin.New(signin.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.IDC.URL())})
	if _, err := logincreds.New(client, l.path).Retrieve(t.Context()); err != nil {
		t.Fatalf("the SDK cannot read the file hop wrote: %v", err)
	}
	if n := e.IDC.Total(); n != 0 {
		t.Errorf("the SDK renewed what hop had renewed (%d calls)", n)
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(l.path), ".*")); len(matches) != 0 {
		t.Errorf("left behind: %v", matches)
	}
}

// TestAWSLoginEnded: when the sign-in service refuses to renew, hop says to
// run `aws login`, runs nothing, and leaves the CLI's file as it was.
func TestAWSLoginEnded(t *testing.T) {
	e := testenv.Start(t)
	env := e.Environ()
	l := startAWSLogin(t, e, -time.Minute)
	e.IDC.EndLogins()
	before := readFile(t, l.path)
	marker := filepath.Join(e.Home, "ran")

	for _, profile := range []string{"dev", "dev-admin"} {
		r := hop(t, env, "exec", profile, "--", "touch", marker)
		if r.code == 0 || !strings.Contains(r.stderr, "run 'aws login --profile dev'") {
			t.Errorf("exec %s: exit %d, stderr %q; want to be told to run aws login", profile, r.code, r.stderr)
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the child ran")
	}
	if readFile(t, l.path) != before {
		t.Error("the cache file changed")
	}
	if n := e.Moto.Count("sts:AssumeRole"); n != 0 {
		t.Errorf("%d AssumeRole calls", n)
	}

	os.Remove(l.path)
	r := hop(t, env, "exec", "dev", "--", "touch", marker)
	if r.code == 0 || !strings.Contains(r.stderr, "run 'aws login --profile dev'") || !strings.Contains(r.stderr, "does not exist") {
		t.Errorf("no cache file: exit %d, stderr %q", r.code, r.stderr)
	}
}
