package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/99designs/keyring"
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/store"
)

// fillWait bounds how long a process waits for another to fill the same
// cache entry (which may include a login).
const fillWait = loginWait + time.Minute

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
	p.key = creds.SessionKey(p.f.chain, p.hop, p.f.opts.Getenv)
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
	var wrong *store.PassphraseError
	if errors.As(err, &wrong) {
		return aws.Credentials{}, false, err
	}
	if errors.Is(err, ErrNeedsPerson) {
		// An unattended fetch that cannot unlock the keyring stops here,
		// rather than fetch what it could not then cache.
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
	cr, err := creds.ParseCached(item.Data, p.f.now())
	if err == nil && !cr.Expires.After(p.f.now().Add(p.f.opts.MinValidity)) {
		err = fmt.Errorf("expires at %s, too soon", cr.Expires.Format(time.RFC3339))
	}
	if err != nil {
		p.f.debugf("cached session for profile %s: %v; fetching anew", p.profile, err)
		return aws.Credentials{}, false, nil
	}
	p.f.debugf("using the cached session for profile %s (expires %s)", p.profile, cr.Expires.Format(time.RFC3339))
	return aws.Credentials{
		AccessKeyID:     cr.AccessKeyID,
		SecretAccessKey: cr.SecretAccessKey,
		SessionToken:    cr.SessionToken,
		CanExpire:       true,
		Expires:         cr.Expires,
		AccountID:       cr.AccountID,
		Source:          "hop-cache",
	}, true, nil
}

// store saves a session; failing to cache is worth a warning, not a
// failed command.
func (p *cachedProvider) store(c aws.Credentials) {
	if !c.CanExpire {
		return
	}
	data, err := json.Marshal(creds.Credentials{
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
	if err := p.f.index.Record(p.key, p.profile, c.Expires); err != nil {
		p.f.debugf("could not update the session index: %v", err)
	}
}

// Clear removes cached sessions: every one hop owns, or only profile's.
// It returns how many it removed.
func (f *Fetcher) Clear(profile string) (int, error) {
	keys, err := f.opts.Keyring.Keys()
	if err != nil {
		return 0, fmt.Errorf("listing the keyring: %w", err)
	}
	removed := map[string]bool{}
	for _, k := range keys {
		if !sessionOf(k, profile) {
			continue
		}
		if err := f.opts.Keyring.Remove(k); err != nil && !errors.Is(err, keyring.ErrKeyNotFound) {
			return len(removed), fmt.Errorf("removing %s from the keyring: %w", k, err)
		}
		removed[k] = true
	}
	// store.Index entries whose sessions the keyring no longer has go too.
	for k := range f.index.Entries() {
		if sessionOf(k, profile) {
			removed[k] = true
		}
	}
	return len(removed), f.index.Forget(slices.Collect(maps.Keys(removed)))
}

// sessionOf reports whether key is one of hop's sessions, and profile's
// when profile is set. A key is KeyPrefix, the profile, ':' and a digest
// (creds.SessionKey); a profile name may itself hold ':', so dev's are
// told from dev:ro's by the digest being all that follows.
func sessionOf(key, profile string) bool {
	rest, ok := strings.CutPrefix(key, creds.KeyPrefix)
	if !ok {
		return false
	}
	if profile == "" {
		return true
	}
	digest, ok := strings.CutPrefix(rest, profile+":")
	return ok && digest != "" && !strings.Contains(digest, ":")
}
