package fetch

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// TestAnswersAreBounded: an answer of exactly MaxResponseBody is read
// whole; one byte more fails, naming the host.
func TestAnswersAreBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		w.Write([]byte(strings.Repeat("a", n)))
	}))
	defer srv.Close()
	client := NewHTTPClient()
	get := func(n int) ([]byte, error) {
		resp, err := client.Get(srv.URL + "/?n=" + strconv.Itoa(n))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}
	if body, err := get(MaxResponseBody); err != nil || len(body) != MaxResponseBody {
		t.Errorf("an answer of the bound: %d bytes, %v", len(body), err)
	}
	_, err := get(MaxResponseBody + 1)
	var tooLarge *ResponseTooLargeError
	if !errors.As(err, &tooLarge) || !strings.Contains(err.Error(), strings.TrimPrefix(srv.URL, "http://")) {
		t.Errorf("an answer past the bound: %v, want a ResponseTooLargeError naming the host", err)
	}
}
