package testenv

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// NewUser makes an IAM user in moto allowed only actions (on any
// resource), and returns its first access key.
func (e *Env) NewUser(t testing.TB, name string, actions ...string) Keys {
	t.Helper()
	c := iam.NewFromConfig(e.AWS(e.Admin.Credentials()))
	keys, err := createUser(t.Context(), c, name, map[string]any{"Action": actions, "Resource": "*"})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// AccessKeys lists the IDs of user's access keys in moto.
func (e *Env) AccessKeys(t testing.TB, user string) []string {
	t.Helper()
	c := iam.NewFromConfig(e.AWS(e.Admin.Credentials()))
	out, err := c.ListAccessKeys(t.Context(), &iam.ListAccessKeysInput{UserName: &user})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, k := range out.AccessKeyMetadata {
		ids = append(ids, *k.AccessKeyId)
	}
	return ids
}

// CreateAccessKey makes another access key for user in moto.
func (e *Env) CreateAccessKey(t testing.TB, user string) Keys {
	t.Helper()
	c := iam.NewFromConfig(e.AWS(e.Admin.Credentials()))
	out, err := c.CreateAccessKey(t.Context(), &iam.CreateAccessKeyInput{UserName: &user})
	if err != nil {
		t.Fatal(err)
	}
	return Keys{AccessKeyID: *out.AccessKey.AccessKeyId, SecretAccessKey: *out.AccessKey.SecretAccessKey}
}

// DeleteAccessKey deletes one of user's keys in moto.
func (e *Env) DeleteAccessKey(t testing.TB, user, id string) {
	t.Helper()
	c := iam.NewFromConfig(e.AWS(e.Admin.Credentials()))
	if _, err := c.DeleteAccessKey(t.Context(), &iam.DeleteAccessKeyInput{UserName: &user, AccessKeyId: &id}); err != nil {
		t.Fatal(err)
	}
}
