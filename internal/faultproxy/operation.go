package faultproxy

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// maxFormBody bounds how much of a query-protocol body is buffered to find
// its Action; AWS query requests are far smaller.
const maxFormBody = 1 << 20

// Operation names an AWS request as "service:Operation", for example
// "sts:AssumeRole" or "iam:CreateUser". The service comes from the SigV4
// credential scope. Query-protocol requests (STS, IAM) are named by their
// Action parameter, JSON-protocol ones by X-Amz-Target, and S3 coarsely by
// method and path shape: "s3:GET /", "s3:PUT /{bucket}",
// "s3:GET /{bucket}/{key}". Unsigned query requests (AssumeRoleWithWebIdentity)
// are taken to be STS, the only query service that accepts them.
// Anything else is "service:METHOD /path".
//
// A form body is read to find its Action and put back for the next handler.
func Operation(r *http.Request) string {
	service := signingService(r.Header.Get("Authorization"))
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		return orUnsigned(service) + ":" + target[strings.LastIndex(target, ".")+1:]
	}
	if action := queryAction(r); action != "" {
		if service == "" {
			service = "sts"
		}
		return service + ":" + action
	}
	if service == "s3" {
		return "s3:" + r.Method + " " + s3PathShape(r.URL.Path)
	}
	return orUnsigned(service) + ":" + r.Method + " " + r.URL.Path
}

func orUnsigned(service string) string {
	if service == "" {
		return "unsigned"
	}
	return service
}

// signingService extracts the service from
// "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/sts/aws4_request, ...".
func signingService(authorization string) string {
	_, cred, ok := strings.Cut(authorization, "Credential=")
	if !ok {
		return ""
	}
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(strings.TrimSpace(cred), "/")
	if len(parts) != 5 {
		return ""
	}
	return parts[3]
}

func queryAction(r *http.Request) string {
	if a := r.URL.Query().Get("Action"); a != "" {
		return a
	}
	return queryForm(r).Get("Action")
}

// queryForm parses a query-protocol request's form body; nil when it has
// none.
func queryForm(r *http.Request) url.Values {
	if r.Method != http.MethodPost || r.Body == nil {
		return nil
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "application/x-www-form-urlencoded" {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxFormBody))
	// Whatever was read goes back in front of the unread rest, so the
	// next handler sees the body unchanged even if it was larger.
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
	if err != nil {
		return nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil
	}
	return form
}

func s3PathShape(path string) string {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	switch {
	case bucket == "":
		return "/"
	case key == "":
		return "/{bucket}"
	default:
		return "/{bucket}/{key}"
	}
}
