package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
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
		return s.Initialize.Add(deadline, middleware.Before)
	}}
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
	var tooLarge *ResponseTooLargeError
	switch {
	case errors.As(err, &tooLarge):
		msg = tooLarge.Error()
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
