//go:build e2e

package faultproxy_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/hop-cli/hop/internal/faultproxy"
	"github.com/hop-cli/hop/internal/testenv"
)

func apiError(t *testing.T, err error, code string, status int) {
	t.Helper()
	var apiErr smithy.APIError
	var respErr *smithyhttp.ResponseError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code || !errors.As(err, &respErr) || respErr.HTTPStatusCode() != status {
		t.Fatalf("got %v, want %s with HTTP %d", err, code, status)
	}
}

// TestProxyInFrontOfMoto drives real moto through the proxy with the Go
// SDK: requests are counted by operation, signatures survive the proxy,
// and injected faults parse as the AWS errors they imitate.
func TestProxyInFrontOfMoto(t *testing.T) {
	e := testenv.Start(t)
	ctx := t.Context()
	noRetry := func(o *sts.Options) { o.Retryer = aws.NopRetryer{} }
	stsc := sts.NewFromConfig(e.AWS(e.Assumer.Credentials()), noRetry)
	assume := func(ctx context.Context) (*sts.AssumeRoleOutput, error) {
		return stsc.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(testenv.RoleARN), RoleSessionName: aws.String("proxy-test")})
	}

	out, err := assume(ctx)
	if err != nil {
		t.Fatalf("AssumeRole through the proxy: %v", err)
	}
	c := out.Credentials
	s3c := s3.NewFromConfig(e.AWS(aws.Credentials{
		AccessKeyID:     aws.ToString(c.AccessKeyId),
		SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken:    aws.ToString(c.SessionToken),
	}), testenv.PathStyle, func(o *s3.Options) { o.Retryer = aws.NopRetryer{} })
	if _, err := s3c.ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
		t.Fatalf("ListBuckets through the proxy: %v", err)
	}

	e.Moto.Inject("sts:AssumeRole", 1, faultproxy.QueryError(403, "AccessDenied", "injected"))
	_, err = assume(ctx)
	apiError(t, err, "AccessDenied", 403)

	e.Moto.Inject("s3:GET /", 1, faultproxy.S3Error(503, "SlowDown", "injected"))
	_, err = s3c.ListBuckets(ctx, &s3.ListBucketsInput{})
	apiError(t, err, "SlowDown", 503)

	e.Moto.Inject("sts:AssumeRole", 1, faultproxy.Fault{Drop: true})
	_, err = assume(ctx)
	var respErr *smithyhttp.ResponseError
	if err == nil || errors.As(err, &respErr) && respErr.HTTPStatusCode() != 0 {
		t.Fatalf("dropped AssumeRole: got %v, want a transport error", err)
	}

	e.Moto.Inject("sts:AssumeRole", 1, faultproxy.Fault{Delay: time.Minute})
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := assume(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("delayed AssumeRole: got %v, want the client's deadline", err)
	}

	if _, err := assume(ctx); err != nil {
		t.Fatalf("AssumeRole after the faults: %v", err)
	}
	if got := e.Moto.Counts(); got["sts:AssumeRole"] != 5 || got["s3:GET /"] != 2 || len(got) != 2 {
		t.Errorf("counts = %v, want 5 AssumeRole and 2 ListBuckets", got)
	}
}
