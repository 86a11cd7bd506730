package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/hop-cli/hop/untrusted"
)

// operationTimeout bounds one AWS call with its retries. The HTTP client's
// timeouts bound each attempt, but a server that accepts connections and
// never answers would still take minutes across the retries.
const operationTimeout = 30 * time.Second

// apiOptions bound each operation by the Fetcher's deadline.
func (f *Fetcher) apiOptions() []func(*middleware.Stack) error {
	deadline := middleware.InitializeMiddlewareFunc("HopOperationDeadline",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			ctx, cancel := context.WithTimeout(ctx, f.opTimeout)
			defer cancel()
			return next.HandleInitialize(ctx, in)
		})
	return []func(*middleware.Stack) error{func(s *middleware.Stack) error {
		if err := s.Finalize.Add(taint, middleware.After); err != nil {
			return err
		}
		return s.Initialize.Add(deadline, middleware.Before)
	}}
}

// taint marks the failure of a request that carried a secret. The
// middleware sits after signing, so it sees the request as it is sent.
var taint = middleware.FinalizeMiddlewareFunc("HopTaint",
	func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleFinalize(ctx, in)
		// Only an answer is tainted: a failure to connect quotes nothing.
		if err != nil && statusOf(err) != 0 {
			if req, ok := in.Request.(*smithyhttp.Request); ok && carriesSecret(middleware.GetOperationName(ctx), req.Header) {
				err = &TaintedError{err: err}
			}
		}
		return out, md, err
	})

// secretOperations carry a secret: a client secret, device code, refresh
// token or identity token in the body, or the SSO access token.
var secretOperations = map[string]bool{
	"CreateToken": true, "CreateTokenWithIAM": true, "StartDeviceAuthorization": true,
	"AssumeRoleWithWebIdentity": true, "AssumeRoleWithSAML": true,
	"GetRoleCredentials": true, "ListAccounts": true, "ListAccountRoles": true, "Logout": true,
}

// carriesSecret: a session token, a bearer token, or a secret in the body.
// A SigV4 Authorization header is only a signature. The SDK sets some
// headers under keys it does not canonicalise, so names are compared
// without case.
func carriesSecret(operation string, h http.Header) bool {
	if secretOperations[operation] {
		return true
	}
	for name, values := range h {
		switch {
		case len(values) == 0 || values[0] == "":
		case strings.EqualFold(name, "X-Amz-Security-Token"), strings.EqualFold(name, "X-Amz-Sso_bearer_token"):
			return true
		case strings.EqualFold(name, "Authorization") && !strings.HasPrefix(values[0], "AWS4-HMAC-SHA256 "):
			return true
		}
	}
	return false
}

// TaintedError is the failure of a request that carried a secret. Its
// answer is never quoted, in errors or under --debug: a server (or a proxy
// before it) that echoes the request would put the secret on the
// terminal. It says the status and, when it is one hop knows, the code;
// errors.As still reaches the SDK's error for decisions.
type TaintedError struct{ err error }

func (e *TaintedError) Error() string {
	var b strings.Builder
	b.WriteString("the server refused")
	if status := statusOf(e.err); status != 0 {
		fmt.Fprintf(&b, " (HTTP %d", status)
		if code := knownCode(e.err); code != "" {
			b.WriteString(" " + code)
		}
		b.WriteString(")")
	}
	b.WriteString("; its answer is not shown, since the request carried a secret")
	return b.String()
}

func (e *TaintedError) Unwrap() error { return e.err }

// serverMessage is api's message, or for an answer to a request that
// carried a secret, hop's words in its place.
func serverMessage(err error, api smithy.APIError) string {
	var tainted *TaintedError
	if errors.As(err, &tainted) {
		return tainted.Error()
	}
	return untrusted.Text(api.ErrorMessage())
}

func statusOf(err error) int {
	var resp *smithyhttp.ResponseError
	if errors.As(err, &resp) {
		return resp.HTTPStatusCode()
	}
	var status interface{ HTTPStatusCode() int }
	if errors.As(err, &status) {
		return status.HTTPStatusCode()
	}
	return 0
}

// knownCodes are the AWS error codes a tainted answer may be named by:
// hop prints its own copy of the word, never the server's text.
var knownCodes = []string{
	"AccessDenied", "AccessDeniedException", "ExpiredToken", "ExpiredTokenException",
	"InvalidClientTokenId", "UnauthorizedException", "UnauthorizedClientException",
	"InvalidGrantException", "InvalidClientException", "InvalidRequestException",
	"InvalidIdentityToken", "IDPRejectedClaim", "IDPCommunicationError", "ValidationError",
	"RegionDisabledException", "ResourceNotFoundException", "TooManyRequestsException",
	"Throttling", "ThrottlingException", "SlowDownException", "AuthorizationPendingException",
	"InternalServerException", "InternalFailure", "ServiceUnavailable",
}

func knownCode(err error) string {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return ""
	}
	if i := slices.Index(knownCodes, api.ErrorCode()); i >= 0 {
		return knownCodes[i]
	}
	return ""
}

// sdkError shows the gist of an SDK error and keeps the error itself for
// errors.As.
type sdkError struct {
	msg string
	err error
}

func (e *sdkError) Error() string { return e.msg }
func (e *sdkError) Unwrap() error { return e.err }

// brief rewords an SDK error for a person. The SDK's text buries the cause
// under request IDs, URLs and retry counts; this names the cause and what
// to do, and leaves the SDK's own text to --debug.
func (f *Fetcher) brief(err error) error {
	if err == nil {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return &sdkError{msg: "interrupted", err: err}
	}
	tries := ""
	var max *retry.MaxAttemptsError
	if errors.As(err, &max) {
		tries = fmt.Sprintf(", %d attempts", max.Attempt)
	}
	var (
		api    smithy.APIError
		resp   *smithyhttp.ResponseError
		urlErr *url.Error
		msg    string
	)
	const check = "check the network connection, any proxy, and AWS_ENDPOINT_URL* settings"
	var (
		tooLarge *ResponseTooLargeError
		tainted  *TaintedError
	)
	switch {
	case errors.As(err, &tooLarge):
		msg = tooLarge.Error()
	case errors.As(err, &tainted):
		// Neither the message nor the SDK's text (--debug) is shown.
		status := statusOf(err)
		switch {
		case status == 429 || status >= 500:
			msg = fmt.Sprintf("%v%s; try again later", tainted, tries)
		default:
			msg = fmt.Sprintf("%v; check the credentials or token it carried, and the endpoint (AWS_ENDPOINT_URL*, endpoint_url, any proxy)", tainted)
		}
		return &sdkError{msg: msg, err: err}
	case errors.Is(err, context.DeadlineExceeded):
		msg = fmt.Sprintf("no answer within %s; %s", f.opTimeout, check)
	case errors.As(err, &api) && errors.As(err, &resp):
		status := resp.HTTPStatusCode()
		_, throttled := retry.DefaultThrottleErrorCodes[api.ErrorCode()]
		// The code and message are the server's words: each stays one
		// line of text.
		code, message := untrusted.Text(api.ErrorCode()), untrusted.Text(api.ErrorMessage())
		gist := fmt.Sprintf("HTTP %d %s: %s%s", status, code, message, tries)
		switch {
		case throttled || status == 429:
			msg = fmt.Sprintf("the service is throttling requests (%s); wait a minute and try again", gist)
		case status >= 500:
			msg = fmt.Sprintf("the service failed (%s); try again later", gist)
		default:
			msg = fmt.Sprintf("%s: %s (HTTP %d)", code, message, status)
		}
	case errors.As(err, &urlErr):
		where := urlErr.URL
		if u, perr := url.Parse(urlErr.URL); perr == nil {
			where = u.Scheme + "://" + u.Host
		}
		cause := urlErr.Err
		var op *net.OpError
		if errors.As(cause, &op) {
			cause = op.Err
		}
		msg = fmt.Sprintf("cannot reach %s (%v%s); %s", where, cause, tries, check)
	default:
		return err
	}
	f.debugf("%v", err)
	return &sdkError{msg: msg, err: err}
}

// newRetryer retries throttling and server errors a few times with a short,
// bounded backoff, and says so under --debug.
func (f *Fetcher) newRetryer() aws.Retryer {
	return loggedRetryer{retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 4
		o.MaxBackoff = 2 * time.Second
	}), f}
}

type loggedRetryer struct {
	aws.RetryerV2
	f *Fetcher
}

func (r loggedRetryer) RetryDelay(attempt int, err error) (time.Duration, error) {
	d, derr := r.RetryerV2.RetryDelay(attempt, err)
	if derr == nil {
		r.f.debugf("attempt %d failed (%v); retrying in %s", attempt, err, d.Round(time.Millisecond))
	}
	return d, derr
}
