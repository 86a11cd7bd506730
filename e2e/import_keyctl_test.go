//go:build e2e && linux

package e2e

import (
	"crypto/rand"
	"strings"
	"testing"

	"github.com/99designs/keyring"
	"golang.org/x/sys/unix"

	"github.com/hop-cli/hop/internal/testenv"
)

// TestImportAWSVaultKeyctl: hop imports from aws-vault's kernel keyring
// (a keyring named aws-vault in the scope AWS_VAULT_KEYCTL_SCOPE names),
// and leaves its items there.
func TestImportAWSVaultKeyctl(t *testing.T) {
	e := testenv.Start(t)
	profile := "kc-" + strings.ToLower(rand.Text()[:10])
	e.AppendConfig(t, "[profile "+profile+"]\n")
	k := e.NewUser(t, "alice", aliceActions...)
	existed := awsVaultKeyringExists()
	cfg := keyring.Config{AllowedBackends: []keyring.BackendType{keyring.KeyCtlBackend}, KeyCtlScope: "user"}
	awsVaultWrite(t, cfg, map[string]testenv.Keys{profile: k})
	cfg.ServiceName = "aws-vault"
	kr := must(keyring.Open(cfg))
	t.Cleanup(func() {
		for _, key := range must(kr.Keys()) {
			if key == profile || strings.Contains(key, ",") || strings.HasPrefix(key, "oidc:") {
				kr.Remove(key)
			}
		}
		if !existed {
			unlinkAWSVaultKeyring()
		}
	})

	env := setenv(e.Environ(), "AWS_VAULT_BACKEND=keyctl", "AWS_VAULT_KEYCTL_SCOPE=user")
	r := hopNoTTY(t, env, "import", "aws-vault", profile)
	if r.code != 0 {
		t.Fatalf("hop import aws-vault %s: exit %d: %s", profile, r.code, r.stderr)
	}
	if got := storedKeyID(t, env, profile); got != k.AccessKeyID {
		t.Errorf("after the import hop stores %s, want %s", got, k.AccessKeyID)
	}
	if item, err := kr.Get(profile); err != nil || !strings.Contains(string(item.Data), k.AccessKeyID) {
		t.Errorf("aws-vault's item is gone or changed: %v", err)
	}
}

func awsVaultKeyringExists() bool {
	_, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", "aws-vault", 0)
	return err == nil
}

func unlinkAWSVaultKeyring() {
	if id, err := unix.KeyctlSearch(unix.KEY_SPEC_USER_KEYRING, "keyring", "aws-vault", 0); err == nil {
		unix.KeyctlInt(unix.KEYCTL_UNLINK, id, unix.KEY_SPEC_USER_KEYRING, 0, 0)
	}
}
