package faultproxy_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hop-cli/hop/internal/faultproxy"
)

func signedFor(service string) string {
	return "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20250601/us-east-1/" + service + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc"
}

func TestOperation(t *testing.T) {
	form := "application/x-www-form-urlencoded; charset=utf-8"
	cases := []struct {
		name, method, target, contentType, body, auth, header, want string
	}{
		{"sts form", "POST", "/", form, "Action=AssumeRole&Version=2011-06-15", signedFor("sts"), "", "sts:AssumeRole"},
		{"iam form", "POST", "/", form, "Version=2010-05-08&Action=CreateUser&UserName=x", signedFor("iam"), "", "iam:CreateUser"},
		{"query string", "GET", "/?Action=GetCallerIdentity&Version=2011-06-15", "", "", signedFor("sts"), "", "sts:GetCallerIdentity"},
		{"unsigned web identity", "POST", "/", form, "Action=AssumeRoleWithWebIdentity", "", "", "sts:AssumeRoleWithWebIdentity"},
		{"json target", "POST", "/", "application/x-amz-json-1.1", "{}", signedFor("kms"), "TrentService.Decrypt", "kms:Decrypt"},
		{"s3 list buckets", "GET", "/", "", "", signedFor("s3"), "", "s3:GET /"},
		{"s3 bucket", "PUT", "/hop-demo-bucket", "", "", signedFor("s3"), "", "s3:PUT /{bucket}"},
		{"s3 list objects", "GET", "/hop-demo-bucket/?list-type=2", "", "", signedFor("s3"), "", "s3:GET /{bucket}"},
		{"s3 object", "GET", "/hop-demo-bucket/a/b.txt", "", "", signedFor("s3"), "", "s3:GET /{bucket}/{key}"},
		{"form without action", "POST", "/", form, "Version=1", signedFor("sts"), "", "sts:POST /"},
		{"anything else", "GET", "/moto-api/", "", "", "", "", "unsigned:GET /moto-api/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			if tc.contentType != "" {
				r.Header.Set("Content-Type", tc.contentType)
			}
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			if tc.header != "" {
				r.Header.Set("X-Amz-Target", tc.header)
			}
			if got := faultproxy.Operation(r); got != tc.want {
				t.Errorf("Operation = %q, want %q", got, tc.want)
			}
			// The body must reach the next handler intact.
			rest, err := io.ReadAll(r.Body)
			if err != nil || string(rest) != tc.body {
				t.Errorf("body after Operation = %q (%v), want %q", rest, err, tc.body)
			}
		})
	}
}

func TestInjector(t *testing.T) {
	served := 0
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served++
		io.WriteString(w, "real answer")
	})
	in := faultproxy.NewInjector()
	byPath := func(r *http.Request) string { return r.URL.Path }
	srv := httptest.NewServer(in.Wrap(byPath, next))
	defer srv.Close()

	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}

	in.Inject("/a", 2, faultproxy.Fault{Status: 500, Body: []byte("first")})
	in.Inject("/a", 1, faultproxy.Fault{Status: 429, Header: http.Header{"Retry-After": {"1"}}, Body: []byte("second")})
	in.Inject(faultproxy.AnyOperation, 1, faultproxy.Fault{Status: 503})
	in.Inject("/b", 1, faultproxy.Fault{}) // pass through: counted, served
	in.Inject("/b", 0, faultproxy.Fault{Status: 500})

	steps := []struct {
		path   string
		status int
		body   string
	}{
		{"/a", 500, "first"},
		{"/a", 500, "first"},
		{"/a", 429, "second"},
		{"/a", 503, ""}, // the plan for any operation, once /a's are used up
		{"/a", 200, "real answer"},
		{"/b", 200, "real answer"},
		{"/b", 200, "real answer"},
	}
	for i, s := range steps {
		if status, body := get(s.path); status != s.status || body != s.body {
			t.Errorf("step %d GET %s = %d %q, want %d %q", i, s.path, status, body, s.status, s.body)
		}
	}
	if served != 3 {
		t.Errorf("next served %d requests, want 3", served)
	}
	if in.Count("/a") != 5 || in.Count("/b") != 2 || in.Total() != 7 {
		t.Errorf("counts = %v", in.Counts())
	}

	in.Inject("/a", 1, faultproxy.Fault{Status: 500})
	in.Reset()
	if in.Total() != 0 {
		t.Errorf("Total after Reset = %d", in.Total())
	}
	if status, _ := get("/a"); status != 200 {
		t.Errorf("after Reset GET /a = %d, want 200: Reset drops planned faults", status)
	}
}

// TestLoseReply: the handler acts, and the client gets no answer.
func TestLoseReply(t *testing.T) {
	in := faultproxy.NewInjector()
	served := 0
	srv := httptest.NewServer(in.Wrap(func(*http.Request) string { return "op" }, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		served++
		io.WriteString(w, "made")
	})))
	defer srv.Close()
	in.Inject("op", 1, faultproxy.Fault{LoseReply: true})
	if resp, err := http.Get(srv.URL); err == nil {
		resp.Body.Close()
		t.Fatalf("the lost reply arrived: %s", resp.Status)
	}
	if served != 1 {
		t.Errorf("the handler ran %d times, want 1", served)
	}
}
