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
	// Region picks the partition and the console's region; Destination
	// the page to land on: a service ("s3") or a path ("/s3/buckets").
	Region      string
	Destination string
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
	dest, err := destination(consoleHost, r.Destination, r.Region)
	if err != nil {
		return "", err
	}
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

	login := url.Values{"Action": {"login"}, "Issuer": {"hop"}, "Destination": {dest}, "SigninToken": {out.SigninToken}}
	return base + "?" + login.Encode(), nil
}

// partition is where a region's console and federation endpoint are.
type partition struct {
	// prefix matches the partition's region names.
	prefix string
	// federation is the endpoint's URL; %s, where present, stands for
	// the region.
	federation, console string
}

// partitions are the ones with a console and a federation endpoint, from
// the sign-in documentation and the SDK's partition data (aws-eusc's
// sign-in host is the SDK's signin service host for the partition).
var partitions = []partition{
	{prefix: "cn-", federation: "https://signin.amazonaws.cn/federation", console: "console.amazonaws.cn"},
	{prefix: "us-gov-", federation: "https://signin.amazonaws-us-gov.com/federation", console: "console.amazonaws-us-gov.com"},
	{prefix: "eusc-", federation: "https://signin.%s.amazonaws.eu/federation", console: "console.amazonaws.eu"},
}

var commercial = partition{federation: "https://signin.aws.amazon.com/federation", console: "console.aws.amazon.com"}

// endpoints picks the federation endpoint and console host for the
// region's partition.
func endpoints(region, override string) (federation, console string) {
	p := commercial
	for _, q := range partitions {
		if strings.HasPrefix(region, q.prefix) {
			p = q
			break
		}
	}
	federation = p.federation
	if strings.Contains(federation, "%s") {
		federation = fmt.Sprintf(federation, region)
	}
	if override != "" {
		federation = strings.TrimRight(override, "/")
		if !strings.HasSuffix(federation, "/federation") {
			federation += "/federation"
		}
	}
	return federation, p.console
}

// destination is the console URL to land on: the home page, a service's
// ("s3"), or a path on the console ("/s3/buckets?tab=x"), in region.
func destination(host, dest, region string) (string, error) {
	u := &url.URL{Scheme: "https", Host: host, Path: "/console/home"}
	switch {
	case dest == "":
	case strings.HasPrefix(dest, "/") && !strings.HasPrefix(dest, "//"):
		p, err := url.Parse(dest)
		if err != nil || p.Host != "" || p.Scheme != "" {
			return "", fmt.Errorf("destination %q is not a path on the console; give a path such as /s3/buckets, or a service such as s3", dest)
		}
		u.Path, u.RawQuery, u.Fragment = p.Path, p.RawQuery, p.Fragment
	case strings.ContainsAny(dest, "/?#:\\ ") || !isPrint(dest):
		return "", fmt.Errorf("destination %q is neither a service such as s3 nor a path such as /s3/buckets", dest)
	default:
		u.Path = "/" + dest + "/home"
	}
	if region != "" {
		q := u.Query()
		if !q.Has("region") {
			q.Set("region", region)
			u.RawQuery = q.Encode()
		}
	}
	return u.String(), nil
}

func isPrint(s string) bool {
	for _, r := range s {
		if r < 0x21 || r == 0x7f {
			return false
		}
	}
	return true
}
