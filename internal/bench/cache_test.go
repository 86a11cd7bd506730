//go:build e2e

package bench

import (
	"fmt"
	"maps"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/internal/idc"
)

// TestChainCosts holds hop to the costs the performance figures rest on,
// for an SSO -> role -> role chain: a cold run makes each request once, and
// a warm run is the front alone, reads the target's cache item alone (one
// decryption with the file backend), lists nothing, and sends nothing.
func TestChainCosts(t *testing.T) {
	if _, err := exec.LookPath("strace"); err != nil {
		t.Skip("strace not installed")
	}
	s := newScenario(t)
	keys := s.sessionKeys(t, deployProfile)
	if len(keys) != 3 {
		t.Fatalf("%d cacheable hops in the deploy chain, want 3: %q", len(keys), keys)
	}
	target := keys[2]

	t.Run("cold", func(t *testing.T) {
		s.exec(t, "file", deployProfile, "true")
		checkColdRequests(t, s)
	})

	check := func(t *testing.T, backend, fileDir string) {
		s.ResetCounts()
		cmd := exec.Command(s.hop, "exec", deployProfile, "--", "true")
		cmd.Env = s.environ(backend)
		a, err := TraceCache(cmd, fileDir)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.Items, []string{target}) {
			t.Errorf("warm exec looked up cache items %q, want only the target's %q", a.Items, target)
		}
		if a.Listed {
			t.Error("warm exec listed the keyring")
		}
		// The front serves it alone, then becomes the command.
		if true_, _ := exec.LookPath("true"); !slices.Equal(a.Programs, []string{s.hop, true_}) {
			t.Errorf("warm exec ran %q, want hop (the front alone) and then %s", a.Programs, true_)
		}
		indexDir := config.IndexDir(func(k string) string { return lookup(s.environ(backend), k) })
		for _, f := range a.Files {
			if filepath.Dir(f) == indexDir {
				// The config's index: the front reads the chain's
				// sections through it.
				continue
			}
			for _, cache := range []string{".aws/sso", ".cache/hop"} {
				if strings.HasPrefix(f, filepath.Join(s.Home, cache)) {
					t.Errorf("warm exec opened %s, which a cache hit has no need of", f)
				}
			}
		}
		if n := s.Calls(); n != 0 {
			t.Errorf("warm exec sent %d requests, want none", n)
		}
	}
	t.Run("warm file", func(t *testing.T) { check(t, "file", s.fileDir()) })
	t.Run("warm keyctl", func(t *testing.T) {
		s.useKeyctl(t, deployProfile)
		s.ResetCounts()
		s.exec(t, "keyctl", deployProfile, "true")
		// The SSO token is cached already: the role sessions are not.
		if got := s.IDC.Count(idc.OpGetRoleCredentials); got != 1 {
			t.Errorf("filling keyctl: %d GetRoleCredentials, want 1", got)
		}
		check(t, "keyctl", "")
	})
}

// checkColdRequests checks the requests of a first run with no caches:
// one sign-in, one role-credentials call, one AssumeRole per role hop.
func checkColdRequests(t *testing.T, s *scenario) {
	t.Helper()
	if _, err := coldRequests(s); err != nil {
		t.Error(err)
	}
}

// coldRequests sums up the requests counted since the last reset, and says
// what is wrong with them for a cold run of the deploy chain.
func coldRequests(s *scenario) (string, error) {
	idcCounts, motoCounts := s.IDC.Counts(), s.Moto.Counts()
	summary := "Identity Center: " + countsText(idcCounts) + "; moto: " + countsText(motoCounts)
	polls := idcCounts[idc.OpCreateToken]
	delete(idcCounts, idc.OpCreateToken)
	want := map[string]int{idc.OpRegisterClient: 1, idc.OpStartDeviceAuthorization: 1, idc.OpGetRoleCredentials: 1}
	switch {
	case polls < 1:
		return summary, fmt.Errorf("no CreateToken call: %s", summary)
	case !maps.Equal(idcCounts, want):
		return summary, fmt.Errorf("Identity Center requests %v (and %d CreateToken polls), want %v", idcCounts, polls, want)
	case !maps.Equal(motoCounts, map[string]int{"sts:AssumeRole": 2}):
		return summary, fmt.Errorf("moto requests %v, want sts:AssumeRole 2", motoCounts)
	}
	return summary, nil
}

// countsText lists request counts by operation, in name order.
func countsText(counts map[string]int) string {
	var parts []string
	for _, op := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s %d", op, counts[op]))
	}
	return strings.Join(parts, ", ")
}
