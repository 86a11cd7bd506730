// Package testenv starts everything an end-to-end test of hop needs, from
// Go: moto_server with IAM authentication enforced behind a counting,
// fault-injecting proxy; the Identity Center emulator granting a permission
// set; and a throwaway HOME whose ~/.aws/config holds the scenario below.
//
// The scenario: signing in to the "corp" SSO session gives the permission
// set AssumeRolePolicy in account 123412341234, whose credentials (IAM user
// sso-assumer) may only call sts:AssumeRole; role RoleForS3 may list and
// read S3 buckets such as hop-demo-bucket.
//
// What moto enforces, checked by this package's tests: SigV4 signatures,
// identity policies (sso-assumer is denied s3:ListBuckets, and a user
// without sts:AssumeRole is denied AssumeRole), and role trust policies,
// but only by exact principal ARN or "*": trusting an account's root does
// not let that account's users in, so RoleForS3 names sso-assumer as well.
// It does not expire temporary credentials, and it lets anyone assume a
// role that does not exist.
package testenv

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/hop-cli/hop/internal/faultproxy"
	"github.com/hop-cli/hop/internal/idc"
)

// The scenario's names.
const (
	AccountID     = "123412341234"
	PermissionSet = "AssumeRolePolicy"
	AssumerUser   = "sso-assumer"
	RoleName      = "RoleForS3"
	RoleARN       = "arn:aws:iam::" + AccountID + ":role/" + RoleName
	Bucket        = "hop-demo-bucket"
	OtherBucket   = "hop-other-bucket"
	SSOSession    = "corp"
	StartURL      = "https://corp.awsapps.com/start"
	SSORegion     = "us-east-1"
	// Region is where the scenario's profiles and clients work.
	Region = "ap-northeast-1"
)

// Config is the scenario's ~/.aws/config.
const Config = `[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile example]
sso_session = corp
sso_account_id = 123412341234
sso_role_name = AssumeRolePolicy
region = ap-northeast-1

[profile requires3]
role_arn = arn:aws:iam::123412341234:role/RoleForS3
source_profile = example
`

// Keys are long-term IAM user access keys in moto.
type Keys struct {
	AccessKeyID     string
	SecretAccessKey string
}

// Env is one test's world. Its servers stop when the test ends.
type Env struct {
	// Home is a fresh HOME (0700) holding .aws/config.
	Home       string
	ConfigFile string
	// IDC is the Identity Center emulator, auto-approving sign-ins. Its
	// counts and faults are by idc.Op* operation names.
	IDC *idc.Server
	// Moto is the proxy in front of moto. Its counts and faults are by
	// faultproxy.Operation names such as "sts:AssumeRole" and "s3:GET /".
	Moto *faultproxy.Proxy
	// Assumer holds sso-assumer's keys: what the emulator hands out for
	// AccountID and PermissionSet.
	Assumer Keys
	// Admin may do anything, for tests that need more IAM setup once
	// authentication is enforced.
	Admin Keys

	fileDir    string
	server     *Moto
	passphrase string
}

// Start seeds moto and starts the emulator and proxy for t. It uses the
// moto that Main started, or else starts one for t. Tests share one moto by
// taking turns: an Env holds it until its test ends, so a test must not
// call Start twice.
func Start(t testing.TB) *Env {
	t.Helper()
	moto := shared
	if moto == nil {
		var err error
		if moto, err = StartMoto(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { moto.Close() })
	}
	moto.inUse.Lock()
	t.Cleanup(moto.inUse.Unlock)

	ctx := t.Context()
	assumer, admin, err := seed(ctx, moto, moto.URL)
	if err != nil {
		t.Fatalf("%v\nmoto's last lines:\n%s", err, moto.output())
	}

	proxy, err := faultproxy.Start(moto.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })

	emulator := idc.New(idc.Options{AutoApprove: true})
	emulator.Grant(AccountID, PermissionSet, idc.Credentials{
		AccessKeyID:     assumer.AccessKeyID,
		SecretAccessKey: assumer.SecretAccessKey,
	})
	if err := emulator.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emulator.Close() })

	home := t.TempDir()
	if err := os.Chmod(home, 0o700); err != nil {
		t.Fatal(err)
	}
	e := &Env{
		Home:       home,
		ConfigFile: filepath.Join(home, ".aws", "config"),
		IDC:        emulator,
		Moto:       proxy,
		Assumer:    assumer,
		Admin:      admin,
		fileDir:    filepath.Join(home, ".hop-keyring"),
		server:     moto,
		passphrase: rand.Text(),
	}
	for _, dir := range []string{filepath.Dir(e.ConfigFile), e.fileDir} {
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(e.ConfigFile, []byte(Config), 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

// Environ is a clean environment for running hop or the aws CLI in e:
// nothing AWS-related leaks in from the test's own environment.
func (e *Env) Environ() []string {
	return []string{
		"HOME=" + e.Home,
		"PATH=" + os.Getenv("PATH"),
		"AWS_CONFIG_FILE=" + e.ConfigFile,
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(e.Home, ".aws", "credentials"),
		"AWS_ENDPOINT_URL=" + e.Moto.URL(),
		"AWS_ENDPOINT_URL_SSO=" + e.IDC.URL(),
		"AWS_ENDPOINT_URL_SSO_OIDC=" + e.IDC.URL(),
		// The emulator also renews `aws login` sessions.
		"AWS_ENDPOINT_URL_SIGNIN=" + e.IDC.URL(),
		// There is no instance metadata service here; don't let a
		// credential chain wait for one.
		"AWS_EC2_METADATA_DISABLED=true",
		"HOP_BACKEND=file",
		"HOP_FILE_DIR=" + e.fileDir,
		"HOP_FILE_PASSPHRASE=" + e.passphrase,
		"HOP_NO_BROWSER=1",
	}
}

// Calls is how many requests reached the emulator and moto together since
// the start or the last ResetCounts.
func (e *Env) Calls() int {
	return e.IDC.Total() + e.Moto.Total()
}

// ResetCounts zeroes the emulator's and the proxy's counts, and drops any
// faults they have not used yet.
func (e *Env) ResetCounts() {
	e.IDC.Reset()
	e.Moto.Reset()
}

// AppendConfig adds text (more profiles, say) to ~/.aws/config.
func (e *Env) AppendConfig(t testing.TB, text string) {
	t.Helper()
	f, err := os.OpenFile(e.ConfigFile, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, "\n%s\n", text); err != nil {
		t.Fatal(err)
	}
}

// AWS is an SDK configuration for moto through the proxy, signing with c.
func (e *Env) AWS(c aws.Credentials) aws.Config {
	return aws.Config{
		Region:       Region,
		Credentials:  static(c),
		BaseEndpoint: aws.String(e.Moto.URL()),
	}
}

func static(c aws.Credentials) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return c, nil
	})
}

// Credentials turns keys into SDK credentials.
func (k Keys) Credentials() aws.Credentials {
	return aws.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey, Source: "testenv"}
}

// PathStyle makes an S3 client address buckets by path, as moto on an IP
// address needs.
func PathStyle(o *s3.Options) { o.UsePathStyle = true }

// WithoutIAMAuth turns moto's IAM authentication off for the rest of the
// test. moto answers unsigned calls (AssumeRoleWithWebIdentity) with a 500
// while it is on, though AWS accepts them.
func (e *Env) WithoutIAMAuth(t testing.TB) {
	t.Helper()
	if err := e.server.setAuth("inf"); err != nil {
		t.Fatal(err)
	}
}
