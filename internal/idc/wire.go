package idc

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"

	"github.com/hop-cli/hop/internal/faultproxy"
)

// oauthError maps SSO OIDC exception names to the OAuth error codes the
// service puts in the body's "error" field.
var oauthError = map[string]string{
	"AccessDeniedException":          "access_denied",
	"AuthorizationPendingException":  "authorization_pending",
	"ExpiredTokenException":          "expired_token",
	"InternalServerException":        "server_error",
	"InvalidClientException":         "invalid_client",
	"InvalidClientMetadataException": "invalid_client_metadata",
	"InvalidGrantException":          "invalid_grant",
	"InvalidRedirectUriException":    "invalid_redirect_uri",
	"InvalidRequestException":        "invalid_request",
	"InvalidScopeException":          "invalid_scope",
	"SlowDownException":              "slow_down",
	"UnauthorizedClientException":    "unauthorized_client",
	"UnsupportedGrantTypeException":  "unsupported_grant_type",
}

// apiError is an error answer of one of the JSON APIs.
type apiError struct {
	status      int
	errorType   string
	description string
}

func apiErr(status int, errorType, description string) *apiError {
	return &apiError{status, errorType, description}
}

// writeOIDC answers in the OAuth shape of SSO OIDC errors. Both SDKs take
// the exception name from X-Amzn-Errortype, not from the body.
func (e *apiError) writeOIDC(w http.ResponseWriter) {
	code := oauthError[e.errorType]
	if code == "" {
		code = e.errorType
	}
	writeJSONError(w, e.status, e.errorType, map[string]string{"error": code, "error_description": e.description})
}

func (e *apiError) writePortal(w http.ResponseWriter) {
	writeJSONError(w, e.status, e.errorType, map[string]string{"message": e.description})
}

func writeJSONError(w http.ResponseWriter, status int, errorType string, body any) {
	w.Header().Set("X-Amzn-Errortype", errorType)
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	out, err := json.Marshal(body)
	if err != nil {
		http.Error(w, "idc: encoding response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// readJSON decodes a request body; a malformed one is the client's fault.
func readJSON(r *http.Request, v any) *apiError {
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(v); err != nil {
		return apiErr(http.StatusBadRequest, "InvalidRequestException", "malformed JSON body: "+err.Error())
	}
	return nil
}

func writePage(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html>\n<title>%s</title>\n<h1>%s</h1>\n<p>%s</p>\n",
		html.EscapeString(title), html.EscapeString(title), html.EscapeString(text))
}

// errorFault builds the body Fail sends for op.
func errorFault(op string, status int, errorType string) faultproxy.Fault {
	const desc = "injected fault"
	rec := httptest.NewRecorder()
	e := apiErr(status, errorType, desc)
	switch op {
	case OpRegisterClient, OpStartDeviceAuthorization, OpCreateToken:
		e.writeOIDC(rec)
	case OpAuthorize, OpVerify:
		writePage(rec, status, errorType, desc)
	default:
		e.writePortal(rec)
	}
	return faultproxy.Fault{Status: status, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// baseURL is how the client reached us, so links work whichever address or
// port the server listens on.
func baseURL(r *http.Request) string {
	return "http://" + r.Host
}

// secret returns a random string (128 bits, URL-safe) with a prefix that
// says what it is when it shows up in a failing test.
func secret(prefix string) string {
	return prefix + rand.Text()
}

// userCode returns a code like "ABCD-EFGH" for a person to compare.
func userCode() string {
	t := rand.Text()
	return t[:4] + "-" + t[4:8]
}
