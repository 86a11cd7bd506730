//go:build e2e && unix

package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/99designs/keyring"
	"github.com/aws/aws-sdk-go-v2/aws"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/hop-cli/hop/internal/testenv"
)

// awsVaultWrite stores items in aws-vault's keyring the way aws-vault 7
// does (cli/global.go's keyring config, vault/credentialkeyring.go and
// sessionkeyring.go's items): a long-term key per profile as the JSON of
// aws.Credentials, a cached session, and an SSO token.
func awsVaultWrite(t *testing.T, cfg keyring.Config, keys map[string]testenv.Keys) {
	t.Helper()
	cfg.ServiceName = "aws-vault"
	cfg.KeychainTrustApplication = true
	kr, err := keyring.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	set := func(key, label string, v any) {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := kr.Set(keyring.Item{Key: key, Label: label, Data: data, KeychainNotTrustApplication: true}); err != nil {
			t.Fatal(err)
		}
	}
	for profile, k := range keys {
		set(profile, "aws-vault ("+profile+")", aws.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey})
	}
	b64 := base64.URLEncoding.WithPadding(base64.NoPadding).EncodeToString
	expires := time.Now().Add(time.Hour)
	set("sts.GetSessionToken,"+b64([]byte("alice"))+",,"+strconv.FormatInt(expires.Unix(), 10), "aws-vault session for alice", ststypes.Credentials{
		AccessKeyId: aws.String("ASIAVAULTSESSION0001"), SecretAccessKey: aws.String("s"), SessionToken: aws.String("t"), Expiration: &expires})
	set("oidc:"+testenv.StartURL, "aws-vault oidc token", map[string]string{"AccessToken": "x"})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// dirBytes reads every file in dir.
func dirBytes(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		out[e.Name()] = must(os.ReadFile(filepath.Join(dir, e.Name())))
	}
	return out
}

// TestImportAWSVaultFile: hop imports the long-term keys from aws-vault's
// file keyring, skipping its sessions and tokens, adds a missing profile
// to the config, and leaves aws-vault's files byte for byte as they were.
func TestImportAWSVaultFile(t *testing.T) {
	e := testenv.Start(t)
	e.AppendConfig(t, keysConfig)
	alice := e.NewUser(t, "alice", aliceActions...)
	bob := e.NewUser(t, "bob", aliceActions...)
	dir := filepath.Join(e.Home, ".awsvault", "keys")
	const passphrase = "aws-vault's passphrase"
	awsVaultWrite(t, keyring.Config{AllowedBackends: []keyring.BackendType{keyring.FileBackend}, FileDir: dir,
		FilePasswordFunc: keyring.FixedStringPrompt(passphrase)}, map[string]testenv.Keys{"alice": alice, "bob": bob})
	before := dirBytes(t, dir)
	env := setenv(e.Environ(), "AWS_VAULT_BACKEND=file")

	for _, tt := range []struct {
		env  []string
		args []string
		want string
	}{
		{setenv(env, "AWS_VAULT_FILE_PASSPHRASE=wrong"), []string{"import", "aws-vault"}, "does not open aws-vault's file keyring"},
		{setenv(env, "AWS_VAULT_FILE_PASSPHRASE="+passphrase, "AWS_VAULT_FILE_DIR="+e.Home+"/nowhere"), []string{"import", "aws-vault"}, "no file keyring at " + e.Home + "/nowhere"},
		{setenv(env, "AWS_VAULT_FILE_PASSPHRASE="+passphrase), []string{"import", "aws-vault", "carol"}, "aws-vault holds no key for profile carol"},
		{setenv(env, "AWS_VAULT_FILE_PASSPHRASE="+passphrase), []string{"import", "aws-vault", "admin-role"}, "profile admin-role: sets role_arn"},
	} {
		r := hopNoTTY(t, tt.env, tt.args...)
		if r.code == 0 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("hop %v: exit %d, stderr %q; want it to mention %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(e.Home, "nowhere")); err == nil {
		t.Error("importing from a missing directory created it")
	}
	e.ResetCounts()
	r := hopNoTTY(t, e.Environ(), "exec", "alice", "--no-session", "--", "true")
	if r.code == 0 {
		t.Fatal("a failed import stored alice's key")
	}

	env = setenv(env, "AWS_VAULT_FILE_PASSPHRASE="+passphrase)
	r = hopNoTTY(t, env, "import", "aws-vault")
	if r.code != 0 {
		t.Fatalf("hop import aws-vault: exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "imported profile alice") || !strings.Contains(r.stderr, "imported profile bob") ||
		strings.Contains(r.stderr, "ASIAVAULT") || strings.Contains(r.stderr, "oidc") || strings.Contains(r.stderr, alice.SecretAccessKey) {
		t.Errorf("hop import aws-vault said %q; want alice and bob only, no secret", r.stderr)
	}
	for profile, k := range map[string]testenv.Keys{"alice": alice, "bob": bob} {
		child := childEnv(t, hopNoTTY(t, e.Environ(), "exec", profile, "--no-session", "--", "env", "-0"))
		if child["AWS_ACCESS_KEY_ID"] != k.AccessKeyID || child["AWS_SECRET_ACCESS_KEY"] != k.SecretAccessKey {
			t.Errorf("%s's child after the import has key %q", profile, child["AWS_ACCESS_KEY_ID"])
		}
	}
	if config := string(must(os.ReadFile(e.ConfigFile))); !strings.HasSuffix(config, "\n[profile bob]\n") {
		t.Errorf("bob, missing from the config, was not added: %q", config)
	}
	if after := dirBytes(t, dir); len(after) != len(before) {
		t.Errorf("aws-vault's directory had %d files, now %d", len(before), len(after))
	} else {
		for name, data := range before {
			if !bytes.Equal(after[name], data) {
				t.Errorf("aws-vault's %s changed", name)
			}
		}
	}
	if r := hopNoTTY(t, env, "import", "aws-vault", "alice"); r.code != 0 || !strings.Contains(r.stderr, "already stored") {
		t.Errorf("a second import: exit %d, %q", r.code, r.stderr)
	}
}

// TestImportAWSVaultHostileItems: aws-vault's file keyring with a FIFO
// and a file too large for an item planted in it, and items named with
// terminal escapes, a newline and INI brackets. hop names each file it
// refuses, at once; prints no name raw; stores and writes no such name;
// and still imports the good item.
func TestImportAWSVaultHostileItems(t *testing.T) {
	e := testenv.Start(t)
	alice := e.NewUser(t, "alice", aliceActions...)
	dir := filepath.Join(e.Home, ".awsvault", "keys")
	const passphrase = "aws-vault's passphrase"
	hostile := []string{"reset\x1bc", "clip\x1b]52;c;aGk=\x07", "two\nlines", "a]b", "sp ace", "bidi\u202etxt"}
	items := map[string]testenv.Keys{"alice": alice}
	for _, name := range hostile {
		items[name] = alice
	}
	awsVaultWrite(t, keyring.Config{AllowedBackends: []keyring.BackendType{keyring.FileBackend}, FileDir: dir,
		FilePasswordFunc: keyring.FixedStringPrompt(passphrase)}, items)
	fifo, huge := filepath.Join(dir, "fifo"), filepath.Join(dir, "huge")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// Sparse: 64 MiB the file system does not hold.
	if err := os.WriteFile(huge, nil, 0o600); err != nil || os.Truncate(huge, 64<<20) != nil {
		t.Fatal("making the sparse file")
	}
	before := string(must(os.ReadFile(e.ConfigFile)))

	r := hopNoTTY(t, setenv(e.Environ(), "AWS_VAULT_BACKEND=file", "AWS_VAULT_FILE_PASSPHRASE="+passphrase), "import", "aws-vault")
	if r.code == 0 {
		t.Errorf("hop import aws-vault with hostile items succeeded: %s", r.stderr)
	}
	for _, want := range []string{fifo + " is a named pipe (FIFO)", huge + " holds more than", "imported profile alice"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("hop import aws-vault said %q; want it to say %q", r.stderr, want)
		}
	}
	if strings.ContainsAny(r.stderr, "\x1b\x07\u202e") || strings.Count(r.stderr, "\n") != strings.Count(r.stderr, "hop: ") {
		t.Errorf("hop import aws-vault printed an item's name raw: %q", r.stderr)
	}
	for _, name := range hostile {
		if !strings.Contains(r.stderr, strconv.Quote(name)+" cannot be a profile's name") {
			t.Errorf("hop import aws-vault did not refuse the item %q by name: %q", name, r.stderr)
		}
		if r := hopNoTTY(t, e.Environ(), "exec", name, "--no-session", "--", "true"); r.code == 0 {
			t.Errorf("a key was stored for %q", name)
		}
	}
	if after := string(must(os.ReadFile(e.ConfigFile))); after != before+"\n[profile alice]\n" && after != before+"[profile alice]\n" {
		t.Errorf("the config after the import is %q; want alice's section added and nothing else", after)
	}
}
