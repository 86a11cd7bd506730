package fetch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/hop-cli/hop/creds"
	"github.com/hop-cli/hop/creds/config"
)

// newKeyWait bounds how long a rotation waits for IAM to accept the new
// key everywhere; IAM is eventually consistent, usually within seconds.
const newKeyWait = 2 * time.Minute

// RotateError is a rotation that stopped part way. Its message says which
// key is stored, whether it was seen working, and what is left to do.
type RotateError struct {
	Profile string
	// Live is the key ID stored in the keyring when the rotation stopped.
	Live string
	// State says what is known of Live: "and works" only when a call it
	// signed was just answered.
	State string
	Step  string
	Left  string
	Err   error
}

func (e *RotateError) Error() string {
	return fmt.Sprintf("profile %s: rotation stopped %s: %v; the stored key is %s %s; %s", e.Profile, e.Step, e.Err, e.Live, e.State, e.Left)
}

func (e *RotateError) Unwrap() error { return e.Err }

// What a RotateError knows of the stored key.
const (
	keyWorks     = "and works"
	keyUnchanged = "(unchanged)"
	keyUnproven  = "(STS has not accepted it yet)"
)

// Rotation is what a rotation did.
type Rotation struct {
	Old, New string
	// Profiles are those whose stored key was Old and is now New: the one
	// named first, then any other that stored the same key.
	Profiles []string
	// Resumed: this finished a rotation that had stopped once the new key
	// was stored, rather than making another key.
	Resumed bool
}

// Rotate replaces profile's stored key with a new one: CreateAccessKey
// (through an MFA session when the profile has mfa_serial), keep the old
// key as the previous one, store the new key for every profile that
// stored the old one, drop their sessions, wait until STS accepts the new
// key, drop the previous key, DeleteAccessKey on the old one. Until STS
// has accepted the new key the old one stays in the keyring, and a
// rotation that finds it there finishes (or undoes) the one that stopped.
func (f *Fetcher) Rotate(ctx context.Context, chain *creds.Chain) (Rotation, error) {
	f.chain = chain
	profile := chain.Profile
	root := &chain.Hops[0]
	kr := f.opts.Keyring
	if len(chain.Hops) != 1 || root.Kind != creds.KindStored {
		return Rotation{}, fmt.Errorf("profile %s does not use a key stored by hop (it is %s); rotate the key of the profile its chain starts at", profile, chain)
	}
	old, err := LoadKey(kr, profile)
	if errors.Is(err, ErrNoStoredKey) {
		return Rotation{}, fmt.Errorf("profile %s has no stored key to rotate; store one with 'hop add %s'", profile, profile)
	}
	if err != nil {
		return Rotation{}, err
	}
	prev, err := LoadPreviousKey(kr, profile)
	switch {
	case errors.Is(err, ErrNoStoredKey):
	case err != nil:
		return Rotation{}, err
	case prev.AccessKeyID == old.AccessKeyID:
		// hop stopped before the new key was stored: nothing to finish.
		if err := RemovePreviousKey(kr, profile); err != nil {
			return Rotation{}, err
		}
	default:
		return f.resumeRotation(ctx, chain, old, prev)
	}
	holders, err := KeyHolders(kr, old.AccessKeyID)
	if err != nil {
		return Rotation{}, err
	}
	r := Rotation{Old: old.AccessKeyID, Profiles: append([]string{profile}, slices.DeleteFunc(holders, func(p string) bool { return p == profile })...)}
	oldState := keyUnchanged
	stopped := func(live, state, step, left string, err error) error {
		if errors.Is(err, context.Canceled) {
			err = fmt.Errorf("interrupted: %w", context.Canceled)
		} else {
			err = f.brief(err)
		}
		return &RotateError{Profile: profile, Live: live, State: state, Step: step, Left: left, Err: err}
	}

	client, err := f.rotationClient(ctx, root)
	if err != nil {
		return r, stopped(r.Old, oldState, "getting an MFA session", "nothing was changed", err)
	}
	// CreateAccessKey is not safe to repeat: a retry after a lost reply
	// makes a second key, whose secret nobody ever sees.
	created, err := client.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}, func(o *iam.Options) { o.Retryer = aws.NopRetryer{} })
	if err != nil {
		return r, stopped(r.Old, oldState, "creating the new key", f.createFailed(ctx, client, err, r), err)
	}
	// A session may have come from the cache: only a call the key itself
	// signed shows it works.
	if root.Session == nil || root.Session.MFASerial == "" {
		oldState = keyWorks
	}
	nk := creds.LongTermKey{AccessKeyID: aws.ToString(created.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(created.AccessKey.SecretAccessKey)}
	r.New = nk.AccessKeyID
	// From here on a Ctrl-C must not lose the new secret: it is stored
	// before anything looks at ctx again, and the old one is kept beside
	// it until STS accepts the new one.
	if err := f.storeRotated(r.Profiles, old, nk); err != nil {
		left := "the new key " + r.New + " could not be deleted either: delete it in IAM"
		undo, cancel := context.WithTimeout(context.WithoutCancel(ctx), f.opTimeout)
		defer cancel()
		if _, derr := client.DeleteAccessKey(undo, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(r.New)}); derr == nil {
			left = "the new key " + r.New + " was deleted again"
		}
		return r, stopped(r.Old, oldState, "storing the new key", left, err)
	}
	for _, p := range r.Profiles {
		if _, err := f.DropSessions(chain.Config, p); err != nil {
			f.debugf("dropping the old key's sessions for %s: %v", p, err)
		}
	}
	if err := f.awaitKey(ctx, nk); err != nil {
		left := fmt.Sprintf("the old key %s is kept in hop's keyring and is still active in IAM: run 'hop rotate %s' again, which checks the new key and finishes, or puts the old one back if STS refuses the new one", r.Old, profile)
		return r, stopped(r.New, keyUnproven, "waiting for STS to accept the new key", left, err)
	}
	f.dropPrevious(r.Profiles)
	if _, err := client.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(r.Old)}); err != nil {
		return r, stopped(r.New, keyWorks, "deleting the old key", deleteOld(r.Old), err)
	}
	return r, nil
}

func deleteOld(id string) string {
	return fmt.Sprintf("the old key %s is still active in IAM: delete it with 'aws iam delete-access-key --access-key-id %s' once the new one works", id, id)
}

// rotationClient is IAM signed for a rotation: IAM refuses a plain
// session; one made with MFA it takes, and a policy that demands MFA
// needs one.
func (f *Fetcher) rotationClient(ctx context.Context, root *creds.Hop) (*iam.Client, error) {
	if s := root.Session; s != nil && s.MFASerial != "" {
		sess, err := f.provider(0).Retrieve(ctx)
		if err != nil {
			return nil, err
		}
		return f.iamClient(staticProvider(sess)), nil
	}
	k, err := LoadKey(f.opts.Keyring, root.Profile)
	if err != nil {
		return nil, err
	}
	return f.iamClient(staticProvider(aws.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey})), nil
}

// createFailed says what a failed CreateAccessKey left. Only an answer
// that IAM refused the call means no key was made; a lost connection, a
// timeout or a server error may come after IAM made one.
func (f *Fetcher) createFailed(ctx context.Context, client *iam.Client, err error, r Rotation) string {
	var api smithy.APIError
	if ctx.Err() != nil || !errors.As(err, &api) || api.ErrorFault() != smithy.FaultClient {
		return "IAM may have made a new key this run never saw: list the user's keys ('aws iam list-access-keys') and delete any but " + r.Old
	}
	if api.ErrorCode() != "LimitExceeded" {
		return "nothing was changed"
	}
	const what = "IAM lets a user have two keys, and this one has both already, one perhaps made by an earlier rotation whose reply was lost: "
	listed, lerr := client.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
	if lerr != nil {
		return what + "list them with 'aws iam list-access-keys', delete the one that is not " + r.Old + " once nothing uses it ('aws iam delete-access-key --access-key-id ID'), and run 'hop rotate " + r.Profiles[0] + "' again; nothing was changed"
	}
	var others []string
	for _, k := range listed.AccessKeyMetadata {
		if id := aws.ToString(k.AccessKeyId); id != r.Old {
			others = append(others, fmt.Sprintf("%s (%s, made %s)", id, k.Status, aws.ToTime(k.CreateDate).Format(time.RFC3339)))
		}
	}
	if len(others) == 0 {
		return what + "IAM lists none but " + r.Old + " now; run 'hop rotate " + r.Profiles[0] + "' again; nothing was changed"
	}
	return fmt.Sprintf("%sbesides the stored key %s it holds %s; once nothing uses it, delete it with 'aws iam delete-access-key --access-key-id ID' and run 'hop rotate %s' again; nothing was changed",
		what, r.Old, strings.Join(others, ", "), r.Profiles[0])
}

// storeRotated keeps old as each profile's previous key, then stores nk
// for each. If any write fails, what was written is put back.
func (f *Fetcher) storeRotated(profiles []string, old, nk creds.LongTermKey) error {
	kr := f.opts.Keyring
	for _, p := range profiles {
		if err := storePreviousKey(kr, p, old); err != nil {
			f.dropPrevious(profiles)
			return err
		}
	}
	for i, p := range profiles {
		if err := StoreKey(kr, p, nk); err != nil {
			for _, q := range profiles[:i] {
				if rerr := StoreKey(kr, q, old); rerr != nil {
					return fmt.Errorf("%w; and putting the old key back for profile %s failed too (it is kept as its previous key; 'hop rotate %s' puts it back): %v", err, q, q, rerr)
				}
			}
			f.dropPrevious(profiles)
			return err
		}
	}
	return nil
}

// dropPrevious removes the previous keys once the new one works. One left
// behind does no harm: the next rotation finds the stored key working and
// drops it then.
func (f *Fetcher) dropPrevious(profiles []string) {
	for _, p := range profiles {
		if err := RemovePreviousKey(f.opts.Keyring, p); err != nil {
			f.debugf("%v", err)
		}
	}
}

// resumeRotation finishes a rotation that stopped after storing its new
// key (cur) but before STS accepted it, when the old key (prev) was kept:
// if STS takes cur, the old key is deleted in IAM and dropped; if it
// refuses cur, prev is put back.
func (f *Fetcher) resumeRotation(ctx context.Context, chain *creds.Chain, cur, prev creds.LongTermKey) (Rotation, error) {
	profile := chain.Profile
	kr := f.opts.Keyring
	holders, err := KeyHolders(kr, cur.AccessKeyID)
	if err != nil {
		return Rotation{}, err
	}
	r := Rotation{Old: prev.AccessKeyID, New: cur.AccessKeyID, Resumed: true,
		Profiles: append([]string{profile}, slices.DeleteFunc(holders, func(p string) bool { return p == profile })...)}
	cerr := f.checkKey(ctx, cur)
	if refusedKey(cerr) {
		if perr := f.checkKey(ctx, prev); perr != nil {
			return r, fmt.Errorf("profile %s: an earlier rotation stored the key %s, which STS refuses (%v), and the key it replaced, %s, kept beside it, does not work either (%v); store a working key with 'hop add --force %s'",
				profile, cur.AccessKeyID, f.brief(cerr), prev.AccessKeyID, f.brief(perr), profile)
		}
		for _, p := range r.Profiles {
			if err := StoreKey(kr, p, prev); err != nil {
				return r, fmt.Errorf("profile %s: putting back the key %s that an earlier rotation replaced: %w", p, prev.AccessKeyID, err)
			}
			if _, err := f.DropSessions(chain.Config, p); err != nil {
				f.debugf("dropping the refused key's sessions for %s: %v", p, err)
			}
		}
		f.dropPrevious(r.Profiles)
		return r, fmt.Errorf("profile %s: an earlier rotation stopped with the key %s stored, which STS refuses; put back the key it replaced, %s, which works, for profile(s) %s; if IAM still lists %s, delete it ('aws iam delete-access-key --access-key-id %s'); then run 'hop rotate %s' again",
			profile, cur.AccessKeyID, prev.AccessKeyID, strings.Join(r.Profiles, ", "), cur.AccessKeyID, cur.AccessKeyID, profile)
	}
	if cerr != nil {
		return r, fmt.Errorf("profile %s: an earlier rotation stopped before STS accepted its key %s, and checking it now failed: %w; the key it replaced, %s, is still kept; run 'hop rotate %s' again", profile, cur.AccessKeyID, f.brief(cerr), prev.AccessKeyID, profile)
	}
	f.dropPrevious(r.Profiles)
	client, err := f.rotationClient(ctx, &chain.Hops[0])
	if err == nil {
		_, err = client.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(prev.AccessKeyID)})
	}
	var api smithy.APIError
	if err != nil && !(errors.As(err, &api) && api.ErrorCode() == "NoSuchEntity") {
		return r, &RotateError{Profile: profile, Live: cur.AccessKeyID, State: keyWorks, Step: "deleting the old key of an earlier rotation", Left: deleteOld(prev.AccessKeyID), Err: f.brief(err)}
	}
	return r, nil
}

// checkKey asks STS once who k is.
func (f *Fetcher) checkKey(ctx context.Context, k creds.LongTermKey) error {
	_, err := f.stsClient(staticProvider(aws.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey})).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	return err
}

// refusedKey: STS answered that it does not know the key.
func refusedKey(err error) bool {
	var api smithy.APIError
	return errors.As(err, &api) && (api.ErrorCode() == "InvalidClientTokenId" || api.ErrorCode() == "SignatureDoesNotMatch")
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
		BaseEndpoint: optional(f.endpoint(config.ServiceIAM)),
		Credentials:  signer,
		HTTPClient:   f.opts.HTTPClient,
		Retryer:      f.newRetryer(),
		APIOptions:   f.apiOptions(),
	})
}
