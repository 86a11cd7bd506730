//go:build e2e

package faultproxy_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/hop-cli/hop/internal/faultproxy"
	"github.com/hop-cli/hop/internal/testenv"
)

// TestProxyRecordsSignerAndMFA: each call is recorded with the key that
// signed it and the MFA it carried, and a planned answer reaches the SDK
// as a success moto would not have given.
func TestProxyRecordsSignerAndMFA(t *testing.T) {
	e := testenv.Start(t)
	ctx := t.Context()
	stsc := sts.NewFromConfig(e.AWS(e.Admin.Credentials()))
	if _, err := stsc.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String("arn:aws:iam::123412341234:mfa/x"), TokenCode: aws.String("123456")}); err != nil {
		t.Fatal(err)
	}
	e.Moto.Inject("sts:AssumeRole", 1, faultproxy.AssumeRoleAnswer(testenv.RoleARN, "ASIAPLANNED000000001", "s", "t", time.Now().Add(time.Hour)))
	session := sts.NewFromConfig(e.AWS(aws.Credentials{AccessKeyID: "ASIAUNKNOWNTOMOTO001", SecretAccessKey: "x", SessionToken: "y"}))
	out, err := session.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(testenv.RoleARN), RoleSessionName: aws.String("r")})
	if err != nil || aws.ToString(out.Credentials.AccessKeyId) != "ASIAPLANNED000000001" {
		t.Fatalf("planned AssumeRole: %v, %+v", err, out)
	}
	want := []faultproxy.Call{
		{Operation: "sts:GetSessionToken", AccessKeyID: e.Admin.AccessKeyID, SerialNumber: "arn:aws:iam::123412341234:mfa/x", TokenCode: "123456"},
		{Operation: "sts:AssumeRole", AccessKeyID: "ASIAUNKNOWNTOMOTO001"},
	}
	if got := e.Moto.Calls(); !slices.Equal(got, want) {
		t.Errorf("calls %+v, want %+v", got, want)
	}
	e.ResetCounts()
	if got := e.Moto.Calls(); len(got) != 0 {
		t.Errorf("after ResetCounts: %+v", got)
	}
}
