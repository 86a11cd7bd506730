// Package inspect shows profiles, chains and what is cached, without any
// network call and without unlocking the keyring.
package inspect

import (
	"fmt"
	"time"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/store"
)

// Cache answers what is cached for a chain: the session index and the
// AWS CLI's token cache, both readable without secrets.
type Cache struct {
	Index  store.Index
	Tokens creds.TokenCache
	Getenv func(string) string
	Now    time.Time
}

// CacheFor is the view of the caches that getenv's environment points at,
// as of now.
func CacheFor(getenv func(string) string) Cache {
	return Cache{Index: store.IndexFor(getenv), Tokens: creds.TokenCacheFor(getenv), Getenv: getenv, Now: time.Now()}
}

// session reports hop i's cached session: its expiry, if cached.
func (c Cache) session(chain *creds.Chain, i int) (time.Time, bool) {
	if !chain.Hops[i].Cacheable() {
		return time.Time{}, false
	}
	return c.Index.Lookup(creds.SessionKey(chain, i, c.Getenv))
}

// left renders the time until t, or "expired".
func (c Cache) left(t time.Time) string {
	d := Left(t, c.Now)
	if d <= 0 {
		return "expired"
	}
	return Duration(d)
}

// Left is the time from now until t as the prompt counts it: in whole
// seconds of the Unix clock, as the shells' scripts subtract
// $EPOCHSECONDS from HOP_EXPIRES_AT. Rendered by Duration, which rounds
// down as they do, a message names the minute the prompt beside it shows.
func Left(t, now time.Time) time.Duration {
	return time.Duration(t.Unix()-now.Unix()) * time.Second
}

// Clock renders an instant for a person: local time with its zone, and
// the day unless it is today: "02:15 CET", "02:15 CET tomorrow",
// "2026-12-24 02:15 CET". Every absolute time hop shows a person is
// written so; what scripts read is RFC 3339.
func Clock(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	sameDay := func(a, b time.Time) bool {
		ay, am, ad := a.Date()
		by, bm, bd := b.Date()
		return ay == by && am == bm && ad == bd
	}
	switch {
	case sameDay(t, now):
		return t.Format("15:04 MST")
	case sameDay(t, now.AddDate(0, 0, 1)):
		return t.Format("15:04 MST") + " tomorrow"
	}
	return t.Format("2006-01-02 15:04 MST")
}

// Duration renders a span compactly: 45s, 52m, 3h05m, 2d4h.
func Duration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
}

// storedKey describes profile's stored key by its ID, read without a
// prompt where the store allows.
func (c Cache) storedKey(profile string) string {
	s := c.storedKeyID(profile)
	if store.Holds(creds.PreviousKeyItem(profile), c.Getenv) {
		s += "; a rotation stopped before STS accepted this key, and the key it replaced is kept: 'hop rotate " + profile + "' checks this one and finishes, or puts the old one back"
	}
	return s
}

func (c Cache) storedKeyID(profile string) string {
	if id, ok := creds.PeekStoredKeyID(profile, c.Getenv); ok {
		return id + " (the secret is never shown)"
	}
	if store.Holds(store.StoredKeyItem(profile), c.Getenv) {
		return "stored (set HOP_FILE_PASSPHRASE to see its ID)"
	}
	if !c.peekable() {
		return "kept in the " + store.Order(c.Getenv("HOP_BACKEND"), c.Getenv)[0] + " keyring, which explain does not unlock"
	}
	return "none stored: run 'hop add " + profile + "'"
}

// peekable reports whether the store in use can be read without the
// keyring library (store.Peek), and so without a prompt.
func (c Cache) peekable() bool {
	kind := store.Order(c.Getenv("HOP_BACKEND"), c.Getenv)[0]
	return kind == "keyctl" || kind == "file"
}
