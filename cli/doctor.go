package cli

import (
	"context"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"time"

	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/creds/store"
	"github.com/hop-cli/hop/doctor"
)

// DoctorCmd checks what hop depends on and says what to run.
type DoctorCmd struct {
	JSON bool `name:"json" help:"Print JSON for scripts."`
}

func (c *DoctorCmd) Run(ctx context.Context, g *Globals) error {
	self, err := os.Executable()
	if err == nil {
		self, err = filepath.EvalSymlinks(self)
	}
	if err != nil {
		return fmt.Errorf("finding hop-core's own path: %w", err)
	}
	results := doctor.Run(ctx, doctor.World{
		Getenv:      os.Getenv,
		Environ:     os.Environ,
		Executable:  self,
		LookPath:    osexec.LookPath,
		HTTP:        fetch.NewHTTPClient(),
		OpenKeyring: g.probeKeyring,
		Now:         time.Now,
	}, doctor.Checks)
	write := doctor.WriteText
	if c.JSON {
		write = doctor.WriteJSON
	}
	if err := write(os.Stdout, results); err != nil {
		return err
	}
	if doctor.Failed(results) {
		return errAlreadyReported
	}
	return nil
}

// probeKeyring opens the keyring hop would use and reads one item, which
// unlocks the file store: its passphrase comes from HOP_FILE_PASSPHRASE,
// or the terminal.
func (g *Globals) probeKeyring(ctx context.Context) (string, error) {
	passphrase := func(prompt string) (string, error) { return filePassphrase(ctx, g.passphrase, prompt) }
	kr, err := fetch.OpenKeyring(fetch.KeyringOptions{
		Backend:    g.Backend,
		Passphrase: passphrase,
		Getenv:     os.Getenv,
	})
	if err != nil {
		return "", err
	}
	keys, err := kr.Keys()
	if err != nil {
		return "", fmt.Errorf("listing the keyring's items: %w", err)
	}
	if len(keys) == 0 {
		if store.Order(g.Backend, os.Getenv)[0] == "file" {
			// Nothing to unlock yet: the first item stored will need the
			// passphrase, so it must be at hand.
			if _, err := passphrase("hop doctor: the file keyring's passphrase"); err != nil {
				return "", err
			}
		}
		return "opens, and holds nothing yet", nil
	}
	if _, err := kr.Get(keys[0]); err != nil {
		return "", fmt.Errorf("reading the keyring's item %s: %w", keys[0], err)
	}
	return fmt.Sprintf("opens and unlocks (%d items)", len(keys)), nil
}
