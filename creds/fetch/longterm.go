package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/99designs/keyring"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
	"github.com/hop-cli/hop/creds/store"
)

// ErrNoStoredKey means the keyring holds no long-term key for a profile.
var ErrNoStoredKey = errors.New("no key stored")

// LoadKey reads profile's long-term key from kr.
func LoadKey(kr keyring.Keyring, profile string) (creds.LongTermKey, error) {
	return loadKeyItem(kr, profile, store.StoredKeyItem(profile))
}

// LoadPreviousKey reads the key a rotation of profile replaced and keeps
// until the new one is seen working; ErrNoStoredKey when there is none.
func LoadPreviousKey(kr keyring.Keyring, profile string) (creds.LongTermKey, error) {
	return loadKeyItem(kr, profile, creds.PreviousKeyItem(profile))
}

func loadKeyItem(kr keyring.Keyring, profile, name string) (creds.LongTermKey, error) {
	item, err := kr.Get(name)
	if errors.Is(err, keyring.ErrKeyNotFound) {
		return creds.LongTermKey{}, ErrNoStoredKey
	}
	if err != nil {
		return creds.LongTermKey{}, fmt.Errorf("reading profile %s's key from the keyring: %w", profile, err)
	}
	k, err := creds.ParseLongTermKey(item.Data)
	if err != nil {
		return creds.LongTermKey{}, fmt.Errorf("profile %s: %w; store it again with 'hop add --force %s'", profile, err, profile)
	}
	return k, nil
}

// StoreKey puts profile's long-term key in kr, replacing any there.
func StoreKey(kr keyring.Keyring, profile string, k creds.LongTermKey) error {
	return storeKeyItem(kr, profile, store.StoredKeyItem(profile), k, "AWS IAM user access key stored by hop add")
}

// storePreviousKey keeps the key a rotation of profile replaces.
func storePreviousKey(kr keyring.Keyring, profile string, k creds.LongTermKey) error {
	return storeKeyItem(kr, profile, creds.PreviousKeyItem(profile), k, "AWS IAM user access key hop rotate replaced, kept until the new one works")
}

func storeKeyItem(kr keyring.Keyring, profile, name string, k creds.LongTermKey, description string) error {
	if err := config.CheckProfileName(profile); err != nil {
		return err
	}
	if err := creds.CheckKey(k.AccessKeyID, k.SecretAccessKey); err != nil {
		return err
	}
	data, err := json.Marshal(k)
	if err != nil {
		return err
	}
	err = kr.Set(keyring.Item{
		Key:         name,
		Data:        data,
		Label:       "hop long-term key for profile " + profile,
		Description: description,
	})
	if err != nil {
		return fmt.Errorf("storing profile %s's key in the keyring: %w", profile, err)
	}
	return nil
}

// RemoveKey deletes profile's long-term key from kr. A key already gone
// is ErrNoStoredKey.
func RemoveKey(kr keyring.Keyring, profile string) error {
	err := kr.Remove(store.StoredKeyItem(profile))
	if errors.Is(err, keyring.ErrKeyNotFound) {
		return ErrNoStoredKey
	}
	if err != nil {
		return fmt.Errorf("removing profile %s's key from the keyring: %w", profile, err)
	}
	return nil
}

// RemovePreviousKey drops the key a rotation of profile kept; none there
// is not an error.
func RemovePreviousKey(kr keyring.Keyring, profile string) error {
	err := kr.Remove(creds.PreviousKeyItem(profile))
	if err != nil && !errors.Is(err, keyring.ErrKeyNotFound) {
		return fmt.Errorf("removing the previous key kept for profile %s: %w", profile, err)
	}
	return nil
}

// KeyHolders lists the profiles whose stored key has the access key ID
// id, in name order: rotating that key must change them all.
func KeyHolders(kr keyring.Keyring, id string) ([]string, error) {
	items, err := kr.Keys()
	if err != nil {
		return nil, fmt.Errorf("listing the keyring: %w", err)
	}
	var out []string
	for _, item := range items {
		profile, ok := strings.CutPrefix(item, store.StoredKeyPrefix)
		if !ok {
			continue
		}
		if k, err := LoadKey(kr, profile); err == nil && k.AccessKeyID == id {
			out = append(out, profile)
		}
	}
	slices.Sort(out)
	return out, nil
}

// DropSessions removes every cached session made from profile's stored
// key: the profile's own and those of the roles sourced from it. It
// returns how many it removed.
func (f *Fetcher) DropSessions(cfg *config.Config, profile string) (int, error) {
	n := 0
	for _, name := range creds.StoredKeyUsers(cfg, profile) {
		m, err := f.Clear(name)
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// storedProvider serves a stored key as it is.
type storedProvider struct {
	f   *Fetcher
	hop *creds.Hop
}

func (p storedProvider) Retrieve(context.Context) (aws.Credentials, error) {
	if p.f.opts.Keyring == nil {
		return aws.Credentials{}, fmt.Errorf("profile %s: its key is kept in the keyring, which is not open", p.hop.Profile)
	}
	k, err := LoadKey(p.f.opts.Keyring, p.hop.Profile)
	if errors.Is(err, ErrNoStoredKey) {
		return aws.Credentials{}, &config.Error{Profile: p.hop.Profile, File: p.f.chain.Config.ConfigPath,
			Msg:  "has no credentials: no setting in the config gives it any, and hop's keyring holds no key for it",
			Hint: fmt.Sprintf("run 'hop add %s' to store an IAM user's key, or set sso_session, role_arn with source_profile, credential_process or web_identity_token_file", p.hop.Profile)}
	}
	if err != nil {
		return aws.Credentials{}, err
	}
	p.f.debugf("profile %s: using the stored key %s", p.hop.Profile, creds.RedactKeyID(k.AccessKeyID))
	return aws.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey, Source: "hop-keyring"}, nil
}

// sessionTokenProvider calls GetSessionToken with a stored key.
type sessionTokenProvider struct {
	f      *Fetcher
	hop    *creds.Hop
	source aws.CredentialsProvider
}

func (p sessionTokenProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	h, s := p.hop, p.hop.Session
	key, err := p.source.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	in := &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(int32(s.Duration.Seconds()))}
	if s.MFASerial != "" {
		code, err := p.f.mfaCode(h, s.MFASerial)()
		if err != nil {
			return aws.Credentials{}, err
		}
		in.SerialNumber, in.TokenCode = aws.String(s.MFASerial), aws.String(code)
	}
	p.f.debugf("profile %s: GetSessionToken for %s with key %s", h.Profile, s.Duration, creds.RedactKeyID(key.AccessKeyID))
	out, err := p.f.stsClient(staticProvider(key)).GetSessionToken(ctx, in)
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("profile %s: getting a session with the stored key %s: %w", h.Profile, creds.RedactKeyID(key.AccessKeyID), p.f.brief(err))
	}
	c := out.Credentials
	return aws.Credentials{
		AccessKeyID:     aws.ToString(c.AccessKeyId),
		SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken:    aws.ToString(c.SessionToken),
		CanExpire:       true,
		Expires:         aws.ToTime(c.Expiration),
		Source:          "hop-session-token",
	}, nil
}

// storedKeyProvider is a stored key's hop: the key, or a session made
// with it.
func (f *Fetcher) storedKeyProvider(h *creds.Hop) aws.CredentialsProvider {
	key := storedProvider{f: f, hop: h}
	if h.Session == nil {
		return key
	}
	return sessionTokenProvider{f: f, hop: h, source: key}
}

func staticProvider(c aws.Credentials) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return c, nil })
}

// Keyring is the store the Fetcher caches in, and keeps stored keys in.
func (f *Fetcher) Keyring() keyring.Keyring { return f.opts.Keyring }
