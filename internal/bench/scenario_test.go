//go:build e2e

package bench

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/99designs/keyring"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/internal/testenv"
)

// table gathers the benchmarks' rows; TestMain prints it.
var table Table

func TestMain(m *testing.M) {
	code := testenv.Run(m)
	if table.Len() > 0 {
		fmt.Println()
		if err := table.Write(os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// hopBinary is HOP_BIN when set (make bench passes bin/hop), else hop built
// once as `make build` builds it, so the figures are those of what users
// run.
func hopBinary(tb testing.TB) string {
	tb.Helper()
	if hop := os.Getenv("HOP_BIN"); hop != "" {
		return hop
	}
	flags := []string{"-trimpath", "-ldflags", "-s -w"}
	if runtime.GOOS == "linux" {
		flags = append(flags, "-tags", "osusergo netgo")
	}
	return testenv.Hop(tb, flags...)
}

// The scenario's third hop: DeployRole, assumed with RoleForS3's session,
// so the chain is SSO -> role -> role.
const (
	deployProfile = "deploy"
	deployRoleARN = "arn:aws:iam::" + testenv.AccountID + ":role/DeployRole"
)

// scenario is testenv's world with the deploy profile added.
type scenario struct {
	*testenv.Env
	hop string
}

func newScenario(tb testing.TB) *scenario {
	tb.Helper()
	hop := hopBinary(tb)
	e := testenv.Start(tb)
	c := iam.NewFromConfig(e.AWS(e.Admin.Credentials()))
	ctx := tb.Context()
	// moto matches trusted principals by exact ARN or "*", and the
	// assumed-role ARN carries hop's session name, so trust "*".
	if _, err := c.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName:                 aws.String("DeployRole"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`),
	}); err != nil {
		tb.Fatalf("creating DeployRole in moto: %v", err)
	}
	if _, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
		RoleName:       aws.String(testenv.RoleName),
		PolicyName:     aws.String("assume-deploy"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"` + deployRoleARN + `"}]}`),
	}); err != nil {
		tb.Fatalf("letting %s assume DeployRole in moto: %v", testenv.RoleName, err)
	}
	e.AppendConfig(tb, "[profile "+deployProfile+"]\nrole_arn = "+deployRoleARN+"\nsource_profile = requires3")
	e.ResetCounts()
	return &scenario{Env: e, hop: hop}
}

// environ is hop's environment with the given keyring backend.
func (s *scenario) environ(backend string) []string {
	return append(s.Environ(), "HOP_BACKEND="+backend)
}

// fileDir is where the file backend keeps its items.
func (s *scenario) fileDir() string {
	return lookup(s.Environ(), "HOP_FILE_DIR")
}

func lookup(env []string, name string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], name+"="); ok {
			return v
		}
	}
	return ""
}

// exec runs `hop exec profile -- args` with backend and fails tb if it
// fails.
func (s *scenario) exec(tb testing.TB, backend, profile string, args ...string) {
	tb.Helper()
	cmd := exec.Command(s.hop, append([]string{"exec", profile, "--"}, args...)...)
	cmd.Env = s.environ(backend)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("hop exec %s with %s: %v\n%s", profile, backend, err, out)
	}
}

// sessionKeys are the cache keys of profile's chain, as hop names them in
// this environment.
func (s *scenario) sessionKeys(tb testing.TB, profile string) []string {
	tb.Helper()
	env := s.environ("file")
	getenv := func(name string) string { return lookup(env, name) }
	cfg, err := config.Load(config.Paths(getenv))
	if err != nil {
		tb.Fatal(err)
	}
	chain, err := creds.Resolve(cfg, profile)
	if err != nil {
		tb.Fatal(err)
	}
	var keys []string
	for i, h := range chain.Hops {
		if h.Cacheable() {
			keys = append(keys, creds.SessionKey(chain, i, getenv))
		}
	}
	return keys
}

// useKeyctl checks that the kernel keyring works here, and removes the
// items hop will cache for profile when tb ends: the user keyring outlives
// the test and is shared with everything else the user runs.
func (s *scenario) useKeyctl(tb testing.TB, profile string) {
	tb.Helper()
	kr, err := fetch.OpenKeyring(fetch.KeyringOptions{Backend: "keyctl", Getenv: os.Getenv})
	if err != nil {
		tb.Skipf("no kernel keyring here: %v", err)
	}
	keys := s.sessionKeys(tb, profile)
	tb.Cleanup(func() {
		for _, k := range keys {
			if err := kr.Remove(k); err != nil && !errors.Is(err, keyring.ErrKeyNotFound) {
				tb.Errorf("removing %s from the kernel keyring: %v", k, err)
			}
		}
	})
}

// forget drops every cache the file backend run filled: sessions, the
// index and locks, and the SSO token and client registration.
func (s *scenario) forget(tb testing.TB) {
	tb.Helper()
	entries, err := os.ReadDir(s.fileDir())
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		if err := os.Remove(filepath.Join(s.fileDir(), e.Name())); err != nil {
			tb.Fatal(err)
		}
	}
	for _, dir := range []string{".aws/sso", ".cache/hop"} {
		if err := os.RemoveAll(filepath.Join(s.Home, dir)); err != nil {
			tb.Fatal(err)
		}
	}
}
