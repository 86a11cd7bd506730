//go:build e2e

package testenv

import (
	"strings"
	"testing"

	"github.com/hop-cli/hop/internal/faultproxy"
)

// TestSeedReportsALostReply: when moto makes a user but its answer is
// lost, the seed reports the lost answer, not the "already exists" that a
// retried CreateUser would get.
func TestSeedReportsALostReply(t *testing.T) {
	m := shared
	if m == nil {
		var err error
		if m, err = StartMoto(); err != nil {
			t.Fatal(err)
		}
		defer m.Close()
	}
	m.inUse.Lock()
	defer m.inUse.Unlock()
	proxy, err := faultproxy.Start(m.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	proxy.Inject("iam:CreateUser", 1, faultproxy.Fault{LoseReply: true})

	_, _, err = seed(t.Context(), m, proxy.URL())
	if err == nil {
		t.Fatal("the seed succeeded though moto's answer to CreateUser was lost")
	}
	if strings.Contains(err.Error(), "EntityAlreadyExists") || proxy.Count("iam:CreateUser") != 1 {
		t.Errorf("CreateUser sent %d times; error %v: want one, and the lost answer named", proxy.Count("iam:CreateUser"), err)
	}
	if !strings.Contains(err.Error(), AssumerUser) {
		t.Errorf("error %q does not name the user being made", err)
	}
}
