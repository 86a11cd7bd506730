package fetch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/hop-cli/hop/creds"
)

// newKeyWait bounds how long a rotation waits for IAM to accept the new
// key everywhere; IAM is eventually consistent, usually within seconds.
const newKeyWait = 2 * time.Minute

// RotateError is a rotation that stopped part way. Its message says which
// key is stored and works, and what is left to do.
type RotateError struct {
	Profile string
	// Live is the key ID stored in the keyring when the rotation stopped.
	Live string
	Step string
	Left string
	Err  error
}

func (e *RotateError) Error() string {
	return fmt.Sprintf("profile %s: rotation stopped %s: %v; the stored key is %s and works; %s", e.Profile, e.Step, e.Err, e.Live, e.Left)
}

func (e *RotateError) Unwrap() error { return e.Err }

// Rotate replaces profile's stored key with a new one: CreateAccessKey
// (through an MFA session when the profile has mfa_serial), store the new
// key, drop the old key's sessions, wait until STS accepts the new key,
// DeleteAccessKey on the old one. At every step the stored key is one that
// works. It returns the old and new key IDs.
func (f *Fetcher) Rotate(ctx context.Context, chain *creds.Chain) (oldID, newID string, err error) {
	f.chain = chain
	profile := chain.Profile
	root := &chain.Hops[0]
	if len(chain.Hops) != 1 || root.Kind != creds.KindStored {
		return "", "", fmt.Errorf("profile %s does not use a key stored by hop (it is %s); rotate the key of the profile its chain starts at", profile, chain)
	}
	old, err := LoadKey(f.opts.Keyring, profile)
	if errors.Is(err, ErrNoStoredKey) {
		return "", "", fmt.Errorf("profile %s has no stored key to rotate; store one with 'hop add %s'", profile, profile)
	}
	if err != nil {
		return "", "", err
	}
	oldID = old.AccessKeyID
	stopped := func(live, step, left string, err error) error {
		if errors.Is(err, context.Canceled) {
			err = fmt.Errorf("interrupted: %w", context.Canceled)
		} else {
			err = f.brief(err)
		}
		return &RotateError{Profile: profile, Live: live, Step: step, Left: left, Err: err}
	}

	// IAM refuses a plain session; one made with MFA it takes, and a
	// policy that demands MFA needs one.
	signer := aws.CredentialsProvider(staticProvider(aws.Credentials{AccessKeyID: old.AccessKeyID, SecretAccessKey: old.SecretAccessKey}))
	if s := root.Session; s != nil && s.MFASerial != "" {
		sess, err := f.provider(0).Retrieve(ctx)
		if err != nil {
			return oldID, "", stopped(oldID, "getting an MFA session", "nothing was changed", err)
		}
		signer = staticProvider(sess)
	}
	client := f.iamClient(signer)

	created, err := client.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
	if err != nil {
		left := "nothing was changed"
		if ctx.Err() != nil {
			left = "IAM may have made a new key this run never saw: list the user's keys ('aws iam list-access-keys') and delete any but " + oldID
		}
		return oldID, "", stopped(oldID, "creating the new key", left, err)
	}
	nk := creds.LongTermKey{AccessKeyID: aws.ToString(created.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(created.AccessKey.SecretAccessKey)}
	newID = nk.AccessKeyID
	// From here on a Ctrl-C must not lose the new secret: it is stored
	// before anything looks at ctx again.
	if err := StoreKey(f.opts.Keyring, profile, nk); err != nil {
		left := "the new key " + newID + " could not be deleted either: delete it in IAM"
		undo, cancel := context.WithTimeout(context.WithoutCancel(ctx), f.opTimeout)
		defer cancel()
		if _, derr := client.DeleteAccessKey(undo, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(newID)}); derr == nil {
			left = "the new key " + newID + " was deleted again"
		}
		return oldID, newID, stopped(oldID, "storing the new key", left, err)
	}
	if _, err := f.DropSessions(chain.Config, profile); err != nil {
		f.debugf("dropping the old key's sessions: %v", err)
	}
	deleteOld := fmt.Sprintf("the old key %s is still active in IAM: delete it with 'aws iam delete-access-key --access-key-id %s' once the new one works", oldID, oldID)
	if err := f.awaitKey(ctx, nk); err != nil {
		return oldID, newID, stopped(newID, "waiting for IAM to accept the new key", deleteOld, err)
	}
	if _, err := client.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(oldID)}); err != nil {
		return oldID, newID, stopped(newID, "deleting the old key", deleteOld, err)
	}
	return oldID, newID, nil
}

// awaitKey asks STS who the new key is until it answers: a key IAM has
// just made may be refused for a few seconds.
func (f *Fetcher) awaitKey(ctx context.Context, k creds.LongTermKey) error {
	ctx, cancel := context.WithTimeout(ctx, newKeyWait)
	defer cancel()
	client := f.stsClient(staticProvider(aws.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey}))
	for wait := time.Second; ; wait = min(2*wait, 8*time.Second) {
		_, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		var api smithy.APIError
		if err == nil || !errors.As(err, &api) || api.ErrorCode() != "InvalidClientTokenId" {
			return err
		}
		f.debugf("the new key is not accepted yet; asking again in %s", wait)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

func (f *Fetcher) iamClient(signer aws.CredentialsProvider) *iam.Client {
	return iam.New(iam.Options{
		// IAM is global; its calls are signed for us-east-1.
		Region:       "us-east-1",
		BaseEndpoint: optional(f.endpoint(creds.ServiceIAM)),
		Credentials:  signer,
		HTTPClient:   f.opts.HTTPClient,
		Retryer:      f.newRetryer(),
		APIOptions:   f.apiOptions(),
	})
}
