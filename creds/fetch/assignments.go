package fetch

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sso"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
)

// Assignment is one account and permission set that the signed-in user may
// use. AccountName comes from the portal: it is text hop did not write.
type Assignment struct {
	AccountID   string
	AccountName string
	RoleName    string
}

// progressAfter is how long a listing runs before it shows progress: a
// short one should not flicker on the terminal.
const progressAfter = 700 * time.Millisecond

// Assignments lists every account and permission set the SSO session may
// use, following every page, signing in first when it has no usable token.
// profile, when set, is the profile the session was named through, whose
// endpoint settings apply.
func (f *Fetcher) Assignments(ctx context.Context, cfg *config.Config, profile string, s *config.SSOSettings) ([]Assignment, error) {
	f.chain = &creds.Chain{Profile: profile, Config: cfg}
	tok, err := f.Token(ctx, s, false)
	if err != nil {
		return nil, err
	}
	out, err := f.listAssignments(ctx, s, tok)
	if isUnauthorized(err) {
		f.debugf("portal rejected the cached token for %s; signing in again", s.StartURL)
		if tok, err = f.Token(ctx, s, true); err != nil {
			return nil, err
		}
		out, err = f.listAssignments(ctx, s, tok)
	}
	if err != nil {
		return nil, fmt.Errorf("listing the accounts and roles %s may use: %w", s.StartURL, f.brief(err))
	}
	return out, nil
}

func (f *Fetcher) listAssignments(ctx context.Context, s *config.SSOSettings, tok *creds.Token) ([]Assignment, error) {
	client := sso.New(sso.Options{
		Region:       s.Region,
		BaseEndpoint: optional(f.endpoint(config.ServiceSSO)),
		HTTPClient:   f.opts.HTTPClient,
		Retryer:      f.listingRetryer(),
		APIOptions:   f.apiOptions(),
	})
	start := f.now()
	shown := false
	show := func(format string, args ...any) {
		if f.now().Sub(start) > progressAfter {
			shown = true
			f.progress("\r\033[Khop: "+format, args...)
		}
	}
	defer func() {
		if shown {
			f.progress("\r\033[K")
		}
	}()

	var accounts []Assignment
	pages := listingPages{what: "accounts"}
	var token *string
	for {
		page, err := client.ListAccounts(ctx, &sso.ListAccountsInput{AccessToken: aws.String(tok.AccessToken), NextToken: token, MaxResults: aws.Int32(pageSize)})
		if err != nil {
			return nil, err
		}
		for _, a := range page.AccountList {
			accounts = append(accounts, Assignment{AccountID: aws.ToString(a.AccountId), AccountName: aws.ToString(a.AccountName)})
		}
		show("listing accounts: %d so far", len(accounts))
		if token, err = pages.next(page.NextToken); err != nil {
			return nil, err
		}
		if token == nil {
			break
		}
	}
	var out []Assignment
	for i, a := range accounts {
		pages := listingPages{what: "account " + a.AccountID + "'s roles"}
		var token *string
		for {
			page, err := client.ListAccountRoles(ctx, &sso.ListAccountRolesInput{
				AccessToken: aws.String(tok.AccessToken),
				AccountId:   aws.String(a.AccountID),
				NextToken:   token,
				MaxResults:  aws.Int32(pageSize),
			})
			if err != nil {
				return nil, fmt.Errorf("account %s: %w", a.AccountID, err)
			}
			for _, r := range page.RoleList {
				out = append(out, Assignment{AccountID: a.AccountID, AccountName: a.AccountName, RoleName: aws.ToString(r.RoleName)})
			}
			if token, err = pages.next(page.NextToken); err != nil {
				return nil, err
			}
			if token == nil {
				break
			}
		}
		show("listing roles: %d of %d accounts", i+1, len(accounts))
	}
	return out, nil
}

const (
	// pageSize is the most the portal lists in a page.
	pageSize = 100
	// maxListingPages bounds one listing: a portal that always answers
	// with another page token would otherwise be asked forever, memory
	// growing with every page (859 pages in 40 s). A thousand pages of
	// a hundred is far past any organisation's accounts, or any
	// account's permission sets.
	maxListingPages = 1000
)

// listingPages follows one listing's page tokens, and refuses to follow
// one the portal gave before, or more than maxListingPages of them.
type listingPages struct {
	what string
	// seen holds digests, not the tokens: the portal chooses their size.
	seen map[[sha256.Size]byte]bool
}

// next is the token to ask for the next page with, nil after the last.
func (l *listingPages) next(token *string) (*string, error) {
	if token == nil || *token == "" {
		return nil, nil
	}
	pages := len(l.seen) + 1
	sum := sha256.Sum256([]byte(*token))
	switch {
	case l.seen[sum]:
		return nil, fmt.Errorf("%s: after %d pages the portal gave a page token it had given before, so its listing would never end; nothing was written: try again later, or ask your Identity Center administrator", l.what, pages)
	case pages >= maxListingPages:
		return nil, fmt.Errorf("%s: the portal was still paging after %d pages, more than hop follows; nothing was written: ask your Identity Center administrator", l.what, pages)
	}
	if l.seen == nil {
		l.seen = map[[sha256.Size]byte]bool{}
	}
	l.seen[sum] = true
	return token, nil
}

// listingRetryer retries throttling more patiently than a single call's
// retryer: a listing of hundreds of accounts is hundreds of calls, and
// Identity Center throttles bursts of them. Without a retry quota, a long
// run of throttled answers cannot exhaust the retries for the calls after.
func (f *Fetcher) listingRetryer() aws.Retryer {
	return loggedRetryer{retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 8
		o.MaxBackoff = 2 * time.Second
		o.RateLimiter = ratelimit.None
	}), f}
}
