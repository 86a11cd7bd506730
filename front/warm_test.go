package front

import (
	"slices"
	"testing"
	"time"

	"github.com/hop-cli/hop/creds"
	exportpkg "github.com/hop-cli/hop/export"
	"github.com/hop-cli/hop/internal/bench"
)

// BenchmarkWarmChild measures the front's warm exec in process, up to the
// execve: config, chain, cache key, one item read, the child's
// environment. make bench times the whole process.
func BenchmarkWarmChild(b *testing.B) {
	for _, backend := range []string{"keyctl", "file"} {
		b.Run(backend, func(b *testing.B) {
			env := bench.WarmCache(b, backend)
			getenv := func(k string) string { return env[k] }
			l := Line{Command: "exec", Profile: bench.WarmProfile, Args: []string{"true"}}
			b.ReportAllocs()
			for b.Loop() {
				_, childEnv, ok := warmChild(l, getenv)
				if !ok || !slices.Contains(childEnv, "AWS_ACCESS_KEY_ID="+bench.WarmKeyID) {
					b.Fatal("the front did not serve the cached session")
				}
			}
		})
	}
}

// TestWarmChildLeavesTheRestToCore: the front serves a fresh cached
// target, and declines (for hop-core to handle) a profile it cannot
// resolve, a command that does not exist, and a store it cannot read.
func TestWarmChildLeavesTheRestToCore(t *testing.T) {
	env := bench.WarmCache(t, "file")
	getenv := func(k string) string { return env[k] }
	serve := func(profile string, args ...string) bool {
		_, _, ok := warmChild(Line{Command: "exec", Profile: profile, Args: args}, getenv)
		return ok
	}
	if !serve(bench.WarmProfile, "true") {
		t.Fatal("the front did not serve the cached target")
	}
	if serve("role", "true") {
		t.Error("the front served a profile whose session is not cached")
	}
	if serve("nosuch", "true") {
		t.Error("the front served a profile that does not exist")
	}
	if serve(bench.WarmProfile, "no-such-command-anywhere") {
		t.Error("the front served a command that does not exist")
	}
	env["HOP_FILE_PASSPHRASE"] = "wrong"
	if serve(bench.WarmProfile, "true") {
		t.Error("the front served an item it could not open")
	}
}

// TestWarmSessionAsksWhatCoreAsks: the front serves a cached session only
// with as much time left as hop-core would want of it: more than
// creds.ReuseMargin for exec and export, and more than
// export.RenewValidity too for renew, whose shell would otherwise be
// renewed again at once.
func TestWarmSessionAsksWhatCoreAsks(t *testing.T) {
	for _, c := range []struct {
		left                time.Duration
		exec, export, renew bool
	}{
		{time.Hour, true, true, true},
		{exportpkg.RenewValidity - time.Minute, true, true, false},
		{creds.ReuseMargin - time.Minute, false, false, false},
	} {
		env := bench.WarmCacheLeft(t, "file", c.left)
		getenv := func(k string) string { return env[k] }
		_, _, exec := warmChild(Line{Command: "exec", Profile: bench.WarmProfile, Args: []string{"true"}}, getenv)
		_, export := warmSession(bench.WarmProfile, 0, getenv, nil)
		_, renew := warmSession(bench.WarmProfile, exportpkg.RenewValidity, getenv, nil)
		if exec != c.exec || export != c.export || renew != c.renew {
			t.Errorf("with %v left: served exec %v, export %v, renew %v; want %v, %v, %v", c.left, exec, export, renew, c.exec, c.export, c.renew)
		}
	}
}
