// Package console turns temporary credentials into an AWS console sign-in
// URL through the federation endpoint.
package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Request is what a sign-in URL is built from.
type Request struct {
	AccessKeyID, SecretAccessKey, SessionToken string
	// Region and Service pick the console page to land on.
	Region  string
	Service string
	// Federation overrides the federation endpoint (for tests and
	// partitions hop doesn't know).
	Federation string
}

// SigninURL asks the federation endpoint for a sign-in token and returns
// the URL that signs the browser in. The URL grants console access to
// whoever holds it for 15 minutes: hand it only to a browser or the user.
func SigninURL(ctx context.Context, client *http.Client, r Request) (string, error) {
	if r.SessionToken == "" {
		return "", errors.New("the console needs temporary credentials, and this profile has long-term keys; use a profile that assumes a role")
	}
	base, consoleHost := endpoints(r.Region, r.Federation)
	session, _ := json.Marshal(map[string]string{
		"sessionId": r.AccessKeyID, "sessionKey": r.SecretAccessKey, "sessionToken": r.SessionToken,
	})
	// The request's query holds the session's keys. The URL is built from
	// the endpoint alone and the query added after, so that no error,
	// ours or a library's, can quote it.
	endpoint, err := url.Parse(base)
	if err != nil || endpoint.Scheme == "" || endpoint.Host == "" {
		return "", fmt.Errorf("the federation endpoint %q is not a URL (check AWS_ENDPOINT_URL_SIGNIN)", base)
	}
	endpoint.RawQuery = url.Values{"Action": {"getSigninToken"}, "Session": {string(session)}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base, nil)
	if err != nil {
		return "", fmt.Errorf("the federation endpoint %q is not usable (check AWS_ENDPOINT_URL_SIGNIN)", base)
	}
	req.URL = endpoint
	resp, err := client.Do(req)
	if err != nil {
		// A *url.Error quotes the whole request URL: keep only its cause.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return "", fmt.Errorf("asking %s for a sign-in token failed: %w", base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		// The request carried the session's keys: an endpoint (or a proxy
		// before it) that echoes its request would put them on the
		// terminal, so the answer is never read, let alone quoted.
		return "", fmt.Errorf("%s refused a sign-in token (HTTP %d; its answer is not shown, since the request carried the session's keys): the console takes only a role's or a federated user's session; check the profile's credentials and AWS_ENDPOINT_URL_SIGNIN", base, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var out struct{ SigninToken string }
	if err != nil || json.Unmarshal(body, &out) != nil || out.SigninToken == "" {
		return "", fmt.Errorf("%s answered without a sign-in token", base)
	}

	dest := "https://" + consoleHost + "/console/home"
	if r.Service != "" {
		dest = "https://" + consoleHost + "/" + url.PathEscape(r.Service) + "/home"
	}
	if r.Region != "" {
		dest += "?region=" + url.QueryEscape(r.Region)
	}
	login := url.Values{"Action": {"login"}, "Issuer": {"hop"}, "Destination": {dest}, "SigninToken": {out.SigninToken}}
	return base + "?" + login.Encode(), nil
}

// endpoints picks the federation endpoint and console host for the
// region's partition.
func endpoints(region, override string) (federation, console string) {
	switch {
	case strings.HasPrefix(region, "cn-"):
		federation, console = "https://signin.amazonaws.cn/federation", "console.amazonaws.cn"
	case strings.HasPrefix(region, "us-gov-"):
		federation, console = "https://signin.amazonaws-us-gov.com/federation", "console.amazonaws-us-gov.com"
	default:
		federation, console = "https://signin.aws.amazon.com/federation", "console.aws.amazon.com"
	}
	if override != "" {
		federation = strings.TrimRight(override, "/")
		if !strings.HasSuffix(federation, "/federation") {
			federation += "/federation"
		}
	}
	return federation, console
}
