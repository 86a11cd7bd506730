package fetch

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"

	"github.com/99designs/keyring"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/store"
)

// AWSVaultOptions locate aws-vault's keyring the way aws-vault itself
// does: its backend choice and its environment variables.
type AWSVaultOptions struct {
	// Backend is AWS_VAULT_BACKEND's value; "" tries the platform's stores.
	Backend string
	// Passphrase unlocks its file store (AWS_VAULT_FILE_PASSPHRASE).
	Passphrase keyring.PromptFunc
	Getenv     func(string) string
}

// aws-vault's own names for its keyring in each store.
const awsVaultService = "aws-vault"

// OpenAWSVault opens aws-vault's keyring, for reading only.
func OpenAWSVault(o AWSVaultOptions) (keyring.Keyring, error) {
	if o.Backend != "" && !slices.Contains(keyring.AvailableBackends(), keyring.BackendType(strings.ToLower(o.Backend))) {
		return nil, fmt.Errorf("aws-vault's keyring backend %q %w; choose one of: %s", o.Backend, ErrNoSuchBackend, strings.Join(Backends(), ", "))
	}
	setting := func(name, def string) string {
		if v := o.Getenv(name); v != "" {
			return v
		}
		return def
	}
	home := o.Getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	dir := setting("AWS_VAULT_FILE_DIR", "~/.awsvault/keys/")
	if dir == "~" || strings.HasPrefix(dir, "~/") {
		dir = filepath.Join(home, dir[1:])
	}
	backends := awsVaultBackends(o.Backend, o.Getenv)
	scope := setting("AWS_VAULT_KEYCTL_SCOPE", "user")
	// Opening a store that aws-vault never wrote to would create it (a
	// directory, a keyring): say so instead, and leave nothing behind.
	if len(backends) == 1 {
		switch backends[0] {
		case keyring.FileBackend:
			if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("aws-vault has no file keyring at %s; set AWS_VAULT_FILE_DIR if it keeps one elsewhere", dir)
			}
		case keyring.KeyCtlBackend:
			if !awsVaultKeyctlExists(scope) {
				return nil, fmt.Errorf("aws-vault has no keyring named %s in the kernel's %q keyring; set AWS_VAULT_KEYCTL_SCOPE to the scope it used", awsVaultService, scope)
			}
		}
	}
	// Its file store is read by hop's own (store.FileStore, the same
	// format), which reads only bounded regular files: the library's reads
	// any file whole, and a planted FIFO would block it forever.
	file := slices.Contains(backends, keyring.FileBackend)
	others := slices.DeleteFunc(slices.Clone(backends), func(b keyring.BackendType) bool { return b == keyring.FileBackend })
	if len(others) == 0 {
		return awsVaultFile{fileKeyring{store.NewFileStore(dir, o.Passphrase)}}, nil
	}
	kr, err := keyring.Open(keyring.Config{
		AllowedBackends:          others,
		ServiceName:              awsVaultService,
		KeyCtlScope:              scope,
		LibSecretCollectionName:  setting("AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME", "awsvault"),
		KWalletAppID:             awsVaultService,
		KWalletFolder:            awsVaultService,
		KeychainName:             setting("AWS_VAULT_KEYCHAIN_NAME", awsVaultService),
		KeychainTrustApplication: true,
		PassDir:                  o.Getenv("AWS_VAULT_PASS_PASSWORD_STORE_DIR"),
		PassCmd:                  o.Getenv("AWS_VAULT_PASS_CMD"),
		PassPrefix:               o.Getenv("AWS_VAULT_PASS_PREFIX"),
		WinCredPrefix:            awsVaultService,
	})
	if err != nil && file {
		return awsVaultFile{fileKeyring{store.NewFileStore(dir, o.Passphrase)}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("opening aws-vault's %s keyring: %w; name the one it uses with AWS_VAULT_BACKEND (%s)", strings.Join(backendNames(backends), "/"), err, strings.Join(Backends(), ", "))
	}
	return kr, nil
}

// awsVaultFile is aws-vault's file store, opened for reading only.
type awsVaultFile struct{ fileKeyring }

var errAWSVaultReadOnly = errors.New("hop only reads aws-vault's keyring")

func (awsVaultFile) Set(keyring.Item) error { return errAWSVaultReadOnly }
func (awsVaultFile) Remove(string) error    { return errAWSVaultReadOnly }

// awsVaultBackends is AWS_VAULT_BACKEND, or else the stores aws-vault
// users on this platform keep keys in. The kernel keyring is tried only
// when named: aws-vault 7 could not open it without a scope, so nobody
// has keys there by default.
func awsVaultBackends(chosen string, getenv func(string) string) []keyring.BackendType {
	if chosen != "" {
		return []keyring.BackendType{keyring.BackendType(strings.ToLower(chosen))}
	}
	var order []keyring.BackendType
	switch runtime.GOOS {
	case "darwin":
		order = []keyring.BackendType{keyring.KeychainBackend}
	case "windows":
		order = []keyring.BackendType{keyring.WinCredBackend}
	default:
		if getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
			order = []keyring.BackendType{keyring.SecretServiceBackend, keyring.KWalletBackend}
		}
	}
	return append(order, keyring.FileBackend)
}

// awsVaultSession matches the items aws-vault caches sessions and SSO
// tokens under, in its current and older forms; every other item is a
// long-term key stored under its profile's name.
var awsVaultSession = regexp.MustCompile(`^([^,]+,[^,]+,[^,]*,[0-9]+|session:[^ ]+:[^ ]*:[^:]+|.+ session \([0-9]+\))$|^oidc:`)

// AWSVaultProfiles lists the profiles aws-vault holds a long-term key for.
func AWSVaultProfiles(kr keyring.Keyring) ([]string, error) {
	keys, err := kr.Keys()
	if err != nil {
		return nil, fmt.Errorf("listing aws-vault's keyring: %w", err)
	}
	var out []string
	for _, k := range keys {
		if !awsVaultSession.MatchString(k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out, nil
}

// ErrAWSVaultLocked means aws-vault's file keyring did not open.
var ErrAWSVaultLocked = errors.New("does not open aws-vault's file keyring; use the one aws-vault asks for")

// AWSVaultKey reads the long-term key aws-vault stored for profile: the
// JSON of the SDK's aws.Credentials.
func AWSVaultKey(kr keyring.Keyring, profile string) (creds.LongTermKey, error) {
	item, err := kr.Get(profile)
	if errors.Is(err, keyring.ErrKeyNotFound) {
		return creds.LongTermKey{}, fmt.Errorf("aws-vault holds no key for profile %s", profile)
	}
	var wrong *store.PassphraseError
	if errors.As(err, &wrong) {
		return creds.LongTermKey{}, fmt.Errorf("the passphrase (AWS_VAULT_FILE_PASSPHRASE, or the one typed) %w", ErrAWSVaultLocked)
	}
	if err != nil {
		return creds.LongTermKey{}, fmt.Errorf("reading profile %s from aws-vault's keyring: %w", profile, err)
	}
	var c struct {
		AccessKeyID     string
		SecretAccessKey string
		SessionToken    string
	}
	if err := json.Unmarshal(item.Data, &c); err != nil || c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return creds.LongTermKey{}, fmt.Errorf("aws-vault's item for profile %s is not a key hop can read", profile)
	}
	if c.SessionToken != "" {
		return creds.LongTermKey{}, fmt.Errorf("aws-vault's item for profile %s is a temporary session, not a long-term key", profile)
	}
	if err := creds.CheckKey(c.AccessKeyID, c.SecretAccessKey); err != nil {
		return creds.LongTermKey{}, fmt.Errorf("aws-vault's item for profile %s holds a key hop will not store: %w", profile, err)
	}
	return creds.LongTermKey{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey}, nil
}

// Keyring is a store of items, hop's or another tool's.
type Keyring = keyring.Keyring

func backendNames(bs []keyring.BackendType) []string {
	names := make([]string, len(bs))
	for i, b := range bs {
		names[i] = string(b)
	}
	return names
}
