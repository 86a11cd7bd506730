package fetch

import (
	"errors"
	"time"
)

// ErrNeedsPerson is wrapped by a NonInteractive fetch that needs someone
// to sign in, type an MFA code or unlock the keyring.
var ErrNeedsPerson = errors.New("needs a person")

// Unattended is f for fetches nobody watches, such as a credential
// server's refresh: the same keyring (unlocked already, if it was), but
// never a sign-in, an MFA prompt or a browser, and cached sessions used
// only with minValidity left.
func (f *Fetcher) Unattended(minValidity time.Duration) *Fetcher {
	o := f.opts
	o.NonInteractive, o.MinValidity = true, minValidity
	o.OpenBrowser, o.MFAToken, o.MFAPrompt, o.Progress = nil, "", nil, false
	return New(o)
}
