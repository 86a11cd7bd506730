package creds

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/99designs/keyring"
	"github.com/aws/aws-sdk-go-v2/aws"
)

const (
	// reuseMargin is how long before expiry a cached session is replaced,
	// so a command never starts with credentials about to lapse.
	reuseMargin = 5 * time.Minute
	// fillWait bounds how long a process waits for another to fill the
	// same cache entry (which may include a login).
	fillWait = loginWait + time.Minute
	// KeyPrefix starts every keyring item hop owns.
	KeyPrefix = "hop:"
)

// cachedSession is the keyring item's payload.
type cachedSession struct {
	AccessKeyID     string    `json:"AccessKeyId"`
	SecretAccessKey string    `json:"SecretAccessKey"`
	SessionToken    string    `json:"SessionToken"`
	Expires         time.Time `json:"Expiration"`
	AccountID       string    `json:"AccountId,omitempty"`
}

// cachedProvider serves a hop from the keyring while its session is fresh,
// and otherwise fills the entry once, under a lock, from inner.
type cachedProvider struct {
	f *Fetcher
	// hop is the chain index whose session this caches.
	hop     int
	profile string
	inner   aws.CredentialsProvider
	// key is digested on first use: a warm run needs only the target's.
	key string
}

func (p *cachedProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	p.key = SessionKey(p.f.chain, p.hop, p.f.opts.Getenv)
	if c, ok, err := p.load(); ok || err != nil {
		return c, err
	}
	// The digest part of the key is a safe file name whatever the profile
	// is called.
	release, err := p.f.locks.Acquire(ctx, "session-"+p.key[strings.LastIndexByte(p.key, ':')+1:],
		"fetching credentials for profile "+p.profile, fillWait)
	if err != nil {
		return aws.Credentials{}, err
	}
	defer release()
	// Another process may have filled it while this one waited.
	if c, ok, err := p.load(); ok || err != nil {
		return c, err
	}
	c, err := p.inner.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	p.store(c)
	return c, nil
}

// load returns a fresh cached session. A damaged item is a miss: it is
// replaced on the next store. A wrong passphrase is an error: storing
// under it would replace sessions that are fine.
func (p *cachedProvider) load() (aws.Credentials, bool, error) {
	item, err := p.f.opts.Keyring.Get(p.key)
	var wrong *PassphraseError
	if errors.As(err, &wrong) {
		return aws.Credentials{}, false, err
	}
	if err != nil {
		if errors.Is(err, keyring.ErrKeyNotFound) {
			p.f.debugf("no cached session for profile %s", p.profile)
		} else {
			p.f.debugf("session cache for profile %s unreadable (%v); fetching anew", p.profile, err)
		}
		return aws.Credentials{}, false, nil
	}
	var s cachedSession
	if err := json.Unmarshal(item.Data, &s); err != nil || s.AccessKeyID == "" || s.Expires.IsZero() {
		p.f.debugf("session cache for profile %s is damaged; fetching anew", p.profile)
		return aws.Credentials{}, false, nil
	}
	if !s.Expires.After(p.f.now().Add(reuseMargin)) {
		p.f.debugf("cached session for profile %s expires at %s; fetching anew", p.profile, s.Expires.Format(time.RFC3339))
		return aws.Credentials{}, false, nil
	}
	p.f.debugf("using the cached session for profile %s (expires %s)", p.profile, s.Expires.Format(time.RFC3339))
	return aws.Credentials{
		AccessKeyID:     s.AccessKeyID,
		SecretAccessKey: s.SecretAccessKey,
		SessionToken:    s.SessionToken,
		CanExpire:       true,
		Expires:         s.Expires,
		AccountID:       s.AccountID,
		Source:          "hop-cache",
	}, true, nil
}

// store saves a session; failing to cache is worth a warning, not a
// failed command.
func (p *cachedProvider) store(c aws.Credentials) {
	if !c.CanExpire {
		return
	}
	data, err := json.Marshal(cachedSession{
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		Expires: c.Expires.UTC(), AccountID: c.AccountID,
	})
	if err == nil {
		err = p.f.opts.Keyring.Set(keyring.Item{
			Key:         p.key,
			Data:        data,
			Label:       "hop session for profile " + p.profile,
			Description: "temporary AWS credentials cached by hop",
		})
	}
	if err != nil {
		fmt.Fprintf(p.f.opts.Stderr, "hop: warning: could not cache the session for profile %s: %v\n", p.profile, err)
		return
	}
	p.f.debugf("cached the session for profile %s until %s", p.profile, c.Expires.UTC().Format(time.RFC3339))
	if err := p.f.index.record(p.key, p.profile, c.Expires); err != nil {
		p.f.debugf("could not update the session index: %v", err)
	}
}

// SessionKey names hop i's cache entry: its profile plus a digest of every
// input that shapes its credentials, from the source up, and the endpoints
// they come from. Editing any of them makes a new entry.
func SessionKey(c *Chain, i int, getenv func(string) string) string {
	type input struct {
		Hop
		Static string `json:",omitempty"`
	}
	inputs := make([]input, 0, i+1)
	for j := 0; j <= i; j++ {
		in := input{Hop: c.Hops[j]}
		if in.Kind == KindStatic {
			p, _ := c.Config.Profile(in.Profile)
			in.Static = p.Get("aws_access_key_id")
		}
		inputs = append(inputs, in)
	}
	doc, _ := json.Marshal(struct {
		Hops      []input
		STS, SSO  string
		STSRegion string
	}{inputs, c.Config.endpoint(c.Profile, serviceSTS, getenv), c.Config.endpoint(c.Profile, serviceSSO, getenv), c.Region})
	sum := sha256.Sum256(doc)
	return KeyPrefix + c.Hops[i].Profile + ":" + hex.EncodeToString(sum[:8])
}

// Cacheable reports whether hop's cache holds this kind of hop: the kinds
// that cost a network call. Static keys, processes and the machine's own
// sources are local already, or cached by their owner.
func (h *Hop) Cacheable() bool {
	return h.Kind == KindSSO || h.Kind == KindRole || h.Kind == KindWebIdentity
}

// Clear removes cached sessions: every one hop owns, or only profile's.
// It returns how many it removed.
func (f *Fetcher) Clear(profile string) (int, error) {
	keys, err := f.opts.Keyring.Keys()
	if err != nil {
		return 0, fmt.Errorf("listing the keyring: %w", err)
	}
	prefix := KeyPrefix
	if profile != "" {
		prefix += profile + ":"
	}
	removed := map[string]bool{}
	for _, k := range keys {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		if err := f.opts.Keyring.Remove(k); err != nil && !errors.Is(err, keyring.ErrKeyNotFound) {
			return len(removed), fmt.Errorf("removing %s from the keyring: %w", k, err)
		}
		removed[k] = true
	}
	// Index entries whose sessions the keyring no longer has go too.
	for k := range f.index.Entries() {
		if strings.HasPrefix(k, prefix) {
			removed[k] = true
		}
	}
	return len(removed), f.index.forget(slices.Collect(maps.Keys(removed)))
}
