package fetch

import (
	"github.com/99designs/keyring"
	"golang.org/x/sys/unix"
)

// awsVaultKeyctlExists looks for aws-vault's named keyring without the
// library, whose opener would create it.
func awsVaultKeyctlExists(scope string) bool {
	parent, err := keyring.GetKeyringIDForScope(scope)
	if err != nil {
		return false
	}
	_, err = unix.KeyctlSearch(int(parent), "keyring", awsVaultService, 0)
	return err == nil
}
