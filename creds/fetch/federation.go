package fetch

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/hop-cli/hop/creds"
)

// allowAll is GetFederationToken's inline policy: the session's rights
// are the intersection of the user's and this, so the console can do
// whatever the user may, and nothing more.
const allowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// DefaultFederationDuration is the federated session's length when the
// caller asks for none: a console visit, not a working day.
const DefaultFederationDuration = time.Hour

// FederationToken turns a long-term IAM user key into a session the
// console's federation endpoint accepts: it takes only AssumeRole-family
// and GetFederationToken sessions, never GetSessionToken's. STS takes no
// MFA code with this call. Credentials must have run first (f knows the
// chain). The session is not cached: it serves one sign-in.
func (f *Fetcher) FederationToken(ctx context.Context, key *creds.Session, duration time.Duration) (*creds.Session, error) {
	if duration == 0 {
		duration = DefaultFederationDuration
	}
	c := key.Credentials
	f.debugf("profile %s: GetFederationToken for %s with key %s", f.chain.Profile, duration, creds.RedactKeyID(c.AccessKeyID))
	out, err := f.stsClient(staticProvider(aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey})).
		GetFederationToken(ctx, &sts.GetFederationTokenInput{
			Name:            aws.String(federatedName(f.chain.Profile)),
			Policy:          aws.String(allowAll),
			DurationSeconds: aws.Int32(int32(duration.Seconds())),
		})
	if err != nil {
		return nil, fmt.Errorf("profile %s: getting a console session (GetFederationToken) with the stored key %s: %w; the key's user needs sts:GetFederationToken, which STS grants without MFA",
			f.chain.Profile, creds.RedactKeyID(c.AccessKeyID), f.brief(err))
	}
	fc := out.Credentials
	return f.chain.Session(creds.Credentials{
		AccessKeyID:     aws.ToString(fc.AccessKeyId),
		SecretAccessKey: aws.ToString(fc.SecretAccessKey),
		SessionToken:    aws.ToString(fc.SessionToken),
		Expires:         aws.ToTime(fc.Expiration),
	}), nil
}

// federatedName is the federated user's name, which the console and
// CloudTrail show: the profile's, kept to the 2 to 32 characters of
// [\w+=,.@-] STS takes.
func federatedName(profile string) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("_+=,.@-", r):
			return r
		}
		return '-'
	}, "hop-"+profile)
	return name[:min(len(name), 32)]
}
