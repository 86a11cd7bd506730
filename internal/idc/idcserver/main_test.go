package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/hop-cli/hop/internal/idc"
)

func TestAddGrantsRejectsMalformedWithoutEchoingThem(t *testing.T) {
	for _, bad := range []string{"123:Role:AKID", "123:Role:AKID:s3cr3t:tok:extra", "123::AKID:s3cr3t"} {
		err := addGrants(idc.New(idc.Options{}), []string{"1:R:A:S", bad})
		if err == nil {
			t.Errorf("grant %q accepted", bad)
			continue
		}
		if !strings.Contains(err.Error(), "grant 2") || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("error %q should name grant 2 and not show its secret", err)
		}
	}
}

// TestServesUntilTerminated builds and runs the command as `make demo`
// does: grants from IDC_GRANTS, URL on the first line of stdout.
func TestServesUntilTerminated(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "idcserver")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-listen", "127.0.0.1:0", "-auto-approve")
	cmd.Env = append(os.Environ(), "IDC_GRANTS=123412341234:AssumeRolePolicy:AKIADEMO:demo-secret")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the URL: %v", err)
	}
	base := strings.TrimSpace(line)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("first line %q is not a loopback URL", base)
	}

	ctx := t.Context()
	oidc := ssooidc.New(ssooidc.Options{Region: "us-east-1", BaseEndpoint: aws.String(base)})
	reg, err := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("t"), ClientType: aws.String("public")})
	if err != nil {
		t.Fatal(err)
	}
	dev, err := oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, StartUrl: aws.String("https://x")})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{
		ClientId: reg.ClientId, ClientSecret: reg.ClientSecret, DeviceCode: dev.DeviceCode,
		GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code"),
	})
	if err != nil {
		t.Fatalf("CreateToken with -auto-approve: %v", err)
	}
	portal := sso.New(sso.Options{Region: "us-east-1", BaseEndpoint: aws.String(base)})
	creds, err := portal.GetRoleCredentials(ctx, &sso.GetRoleCredentialsInput{
		AccessToken: tok.AccessToken, AccountId: aws.String("123412341234"), RoleName: aws.String("AssumeRolePolicy"),
	})
	if err != nil {
		t.Fatalf("GetRoleCredentials: %v", err)
	}
	if aws.ToString(creds.RoleCredentials.AccessKeyId) != "AKIADEMO" {
		t.Errorf("access key = %q, want the one from IDC_GRANTS", aws.ToString(creds.RoleCredentials.AccessKeyId))
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v, want a clean exit", err)
	}
}
