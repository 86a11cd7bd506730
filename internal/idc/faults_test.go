package idc_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/hop-cli/hop/internal/faultproxy"
	"github.com/hop-cli/hop/internal/idc"
)

func httpStatus(err error) int {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

func TestFailShapesErrorsPerAPI(t *testing.T) {
	w := start(t, idc.Options{AutoApprove: true})
	ctx := t.Context()
	_, tok := w.signIn(t)
	access := aws.ToString(tok.AccessToken)

	w.srv.Fail(idc.OpGetRoleCredentials, 2, http.StatusInternalServerError, "InternalServerException")
	w.srv.Fail(idc.OpGetRoleCredentials, 1, http.StatusTooManyRequests, "TooManyRequestsException")
	w.srv.Fail(idc.OpGetRoleCredentials, 1, http.StatusUnauthorized, "UnauthorizedException")
	for i := range 2 {
		_, err := w.roleCredentials(ctx, access, role)
		if httpStatus(err) != http.StatusInternalServerError {
			t.Fatalf("call %d: got %v, want HTTP 500", i+1, err)
		}
		wantCode(t, err, "InternalServerException")
	}
	_, err := w.roleCredentials(ctx, access, role)
	wantError[*ssotypes.TooManyRequestsException](t, err)
	_, err = w.roleCredentials(ctx, access, role)
	wantError[*ssotypes.UnauthorizedException](t, err)
	if _, err := w.roleCredentials(ctx, access, role); err != nil {
		t.Fatalf("after the planned faults: %v", err)
	}
	if got := w.srv.Count(idc.OpGetRoleCredentials); got != 5 {
		t.Errorf("Count(GetRoleCredentials) = %d, want 5", got)
	}

	// OIDC errors carry the OAuth error code.
	w.srv.Fail(idc.OpCreateToken, 1, http.StatusInternalServerError, "InternalServerException")
	reg := w.register(t)
	_, err = w.pollDevice(ctx, reg, w.startDevice(t, reg))
	ise := wantError[*oidctypes.InternalServerException](t, err)
	if aws.ToString(ise.Error_) != "server_error" {
		t.Errorf("error field = %q, want server_error", aws.ToString(ise.Error_))
	}
}

func TestSDKRetriesThroughFaults(t *testing.T) {
	w := start(t, idc.Options{AutoApprove: true})
	_, tok := w.signIn(t)
	portal := sso.New(sso.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(w.srv.URL()),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	})
	w.srv.Fail(idc.OpGetRoleCredentials, 2, http.StatusInternalServerError, "InternalServerException")
	_, err := portal.GetRoleCredentials(t.Context(), &sso.GetRoleCredentialsInput{
		AccessToken: tok.AccessToken, AccountId: aws.String(account), RoleName: aws.String(role),
	})
	if err != nil {
		t.Fatalf("the SDK's third attempt should succeed: %v", err)
	}
	if got := w.srv.Count(idc.OpGetRoleCredentials); got != 3 {
		t.Errorf("Count(GetRoleCredentials) = %d, want 3", got)
	}
}

func TestDelayAndDrop(t *testing.T) {
	w := start(t, idc.Options{AutoApprove: true})
	_, tok := w.signIn(t)
	access := aws.ToString(tok.AccessToken)

	// A delay far longer than the client waits: the client gives up, and
	// the server lets go as soon as it does.
	w.srv.Inject(idc.OpGetRoleCredentials, 1, faultproxy.Fault{Delay: time.Minute})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := w.roleCredentials(ctx, access, role); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("delayed call: got %v, want the client's deadline", err)
	}

	w.srv.Inject(idc.OpGetRoleCredentials, 1, faultproxy.Fault{Drop: true})
	_, err := w.roleCredentials(t.Context(), access, role)
	if err == nil || httpStatus(err) != 0 {
		t.Fatalf("dropped call: got %v, want a transport error with no HTTP status", err)
	}
	if _, err := w.roleCredentials(t.Context(), access, role); err != nil {
		t.Fatalf("after the drop: %v", err)
	}
}
