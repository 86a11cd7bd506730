package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/fetch"
	"github.com/hop-cli/hop/tty"
	"github.com/hop-cli/hop/untrusted"
)

// ImportCmd copies long-term keys from another tool into hop's keyring.
type ImportCmd struct {
	AWSVault ImportAWSVaultCmd `cmd:"" name:"aws-vault" help:"Copy the long-term keys aws-vault stored (its keyring is only read)."`
}

// ImportAWSVaultCmd copies aws-vault's stored keys.
type ImportAWSVaultCmd struct {
	Profiles []string `arg:"" optional:"" help:"Profiles to import (default: every key aws-vault holds)." predictor:"profile"`
	From     string   `name:"from-backend" env:"AWS_VAULT_BACKEND" help:"aws-vault's keyring backend (default: the one it uses on this platform)." placeholder:"NAME"`
	Force    bool     `help:"Replace a different key hop already stores for a profile."`
}

func (c *ImportAWSVaultCmd) Run(ctx context.Context, g *Globals) error {
	cfg, err := g.config(ctx)
	if err != nil {
		return err
	}
	f, err := g.newFetcher(ctx, loginFlags{}, "")
	if err != nil {
		return err
	}
	passphrase := func(prompt string) (string, error) { return awsVaultPassphrase(ctx, prompt) }
	vault, err := fetch.OpenAWSVault(fetch.AWSVaultOptions{Backend: c.From, Passphrase: passphrase, Getenv: os.Getenv})
	if errors.Is(err, fetch.ErrNoSuchBackend) {
		return &usageError{err: fmt.Errorf("--from-backend (or AWS_VAULT_BACKEND): %w", err)}
	}
	if err != nil {
		return err
	}
	profiles := c.Profiles
	if len(profiles) == 0 {
		if profiles, err = fetch.AWSVaultProfiles(vault); err != nil {
			return err
		}
		if len(profiles) == 0 {
			return errors.New("aws-vault's keyring holds no long-term keys; name its backend with AWS_VAULT_BACKEND if it uses another")
		}
	}
	failed := 0
	for i, profile := range profiles {
		// Between items: a read under way is bounded, and a signal ends
		// the import at the next.
		if err := context.Cause(ctx); err != nil {
			return fmt.Errorf("%w; %d of %d profile(s) were looked at, and aws-vault's keyring is unchanged", err, i, len(profiles))
		}
		note, err := importOne(f, cfg, vault, profile, c.Force)
		if errors.Is(err, fetch.ErrAWSVaultLocked) {
			return err
		}
		// Item names and what aws-vault's items hold are its data.
		if err != nil {
			failed++
			fmt.Fprintf(os.Stderr, "hop: not imported: %s\n", untrusted.Text(err.Error()))
			continue
		}
		fmt.Fprintf(os.Stderr, "hop: imported profile %s%s\n", untrusted.Text(profile), untrusted.Text(note))
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d profile(s) not imported (see above); aws-vault's keyring is unchanged", failed, len(profiles))
	}
	fmt.Fprintln(os.Stderr, "hop: aws-vault's keyring is unchanged; once hop works for you, 'aws-vault remove PROFILE' deletes its copy")
	g.warnIfForgotten()
	return nil
}

// importOne copies one profile's key, unless hop's own would be lost.
func importOne(f *fetch.Fetcher, cfg *config.Config, vault fetch.Keyring, profile string, force bool) (string, error) {
	if err := config.CheckProfileName(profile); err != nil {
		return "", fmt.Errorf("aws-vault's item %w", err)
	}
	if err := creds.StoredKeyConflict(cfg, profile); err != nil {
		return "", err
	}
	key, err := fetch.AWSVaultKey(vault, profile)
	if err != nil {
		return "", err
	}
	old, err := fetch.LoadKey(f.Keyring(), profile)
	switch {
	case errors.Is(err, fetch.ErrNoStoredKey):
	case err != nil:
		return "", err
	case old.AccessKeyID == key.AccessKeyID && old.SecretAccessKey == key.SecretAccessKey:
		return fmt.Sprintf(" (key %s, already stored)", creds.RedactKeyID(key.AccessKeyID)), nil
	case !force:
		return "", fmt.Errorf("profile %s: hop already stores a different key (%s, aws-vault has %s); pass --force to replace it", profile, creds.RedactKeyID(old.AccessKeyID), creds.RedactKeyID(key.AccessKeyID))
	}
	if err := fetch.StoreKey(f.Keyring(), profile, key); err != nil {
		return "", err
	}
	note := fmt.Sprintf(" (key %s)", creds.RedactKeyID(key.AccessKeyID))
	if _, ok := cfg.Profile(profile); !ok {
		if err := config.AppendProfile(cfg.ConfigPath, profile); err != nil {
			return "", fmt.Errorf("stored the key for profile %s, but %w; add the section by hand", profile, err)
		}
		note += ", added to " + cfg.ConfigPath
	}
	dropped, err := f.DropSessions(cfg, profile)
	if err != nil {
		return "", fmt.Errorf("stored the key for profile %s, but sessions made from the old one remain: %w; run 'hop clear'", profile, err)
	}
	return note + droppedNote(dropped), nil
}

// awsVaultPassphrase unlocks aws-vault's file keyring as aws-vault does:
// AWS_VAULT_FILE_PASSPHRASE, else a question on the terminal.
func awsVaultPassphrase(ctx context.Context, prompt string) (string, error) {
	if p, ok := os.LookupEnv("AWS_VAULT_FILE_PASSPHRASE"); ok {
		return p, nil
	}
	term, ok := tty.Open()
	if !ok {
		return "", errors.New("aws-vault's file keyring needs its passphrase: set AWS_VAULT_FILE_PASSPHRASE or run hop from a terminal")
	}
	defer term.Close()
	return ask(ctx, term, "aws-vault's "+prompt+": ", true)
}
