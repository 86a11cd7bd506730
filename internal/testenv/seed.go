package testenv

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// policy renders an IAM policy document with one statement.
func policy(statement map[string]any) *string {
	statement["Effect"] = "Allow"
	doc, err := json.Marshal(map[string]any{
		"Version":   "2012-10-17",
		"Statement": []any{statement},
	})
	if err != nil {
		panic(err) // maps of strings always marshal
	}
	return aws.String(string(doc))
}

// seed resets moto to the scenario and turns IAM authentication on. Its
// requests go to endpoint: moto, or a proxy in front of it.
func seed(ctx context.Context, m *Moto, endpoint string) (assumer, admin Keys, err error) {
	// Authentication off while setting up: nobody has keys yet.
	if err := m.setAuth("inf"); err != nil {
		return Keys{}, Keys{}, err
	}
	if err := m.reset(); err != nil {
		return Keys{}, Keys{}, err
	}
	cfg := aws.Config{
		Region:       SSORegion,
		Credentials:  static(aws.Credentials{AccessKeyID: "seed", SecretAccessKey: "seed"}),
		BaseEndpoint: aws.String(endpoint),
		// No retries: none of these calls may be made twice, and a create
		// retried after moto made the thing answers that it already
		// exists, hiding the error that caused the retry.
		Retryer: func() aws.Retryer { return aws.NopRetryer{} },
	}
	iamc := iam.NewFromConfig(cfg)

	if assumer, err = createUser(ctx, iamc, AssumerUser, map[string]any{"Action": "sts:AssumeRole", "Resource": "*"}); err != nil {
		return Keys{}, Keys{}, err
	}
	if admin, err = createUser(ctx, iamc, "admin", map[string]any{"Action": "*", "Resource": "*"}); err != nil {
		return Keys{}, Keys{}, err
	}
	if _, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName: aws.String(RoleName),
		// moto matches trusted principals by exact ARN, so the account
		// root (what AWS would need) is not enough on its own.
		AssumeRolePolicyDocument: policy(map[string]any{
			"Action": "sts:AssumeRole",
			"Principal": map[string]any{"AWS": []string{
				"arn:aws:iam::" + AccountID + ":root",
				"arn:aws:iam::" + AccountID + ":user/" + AssumerUser,
			}},
		}),
	}); err != nil {
		return Keys{}, Keys{}, fmt.Errorf("testenv: creating role %s in moto: %w", RoleName, err)
	}
	if _, err := iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
		RoleName:   aws.String(RoleName),
		PolicyName: aws.String("s3-read"),
		PolicyDocument: policy(map[string]any{
			"Action":   []string{"s3:ListAllMyBuckets", "s3:ListBucket", "s3:GetObject"},
			"Resource": "*",
		}),
	}); err != nil {
		return Keys{}, Keys{}, fmt.Errorf("testenv: granting %s S3 read in moto: %w", RoleName, err)
	}

	s3c := s3.NewFromConfig(cfg, PathStyle)
	for _, b := range []string{Bucket, OtherBucket} {
		if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)}); err != nil {
			return Keys{}, Keys{}, fmt.Errorf("testenv: creating bucket %s in moto: %w", b, err)
		}
	}

	if err := m.setAuth("0"); err != nil {
		return Keys{}, Keys{}, err
	}
	return assumer, admin, nil
}

// createUser makes an IAM user allowed only what statement allows, and
// returns its new access keys.
func createUser(ctx context.Context, c *iam.Client, name string, statement map[string]any) (Keys, error) {
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
		return Keys{}, fmt.Errorf("testenv: creating IAM user %s in moto: %w", name, err)
	}
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{
		UserName:       aws.String(name),
		PolicyName:     aws.String(name + "-policy"),
		PolicyDocument: policy(statement),
	}); err != nil {
		return Keys{}, fmt.Errorf("testenv: attaching a policy to %s in moto: %w", name, err)
	}
	out, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		return Keys{}, fmt.Errorf("testenv: creating access keys for %s in moto: %w", name, err)
	}
	return Keys{
		AccessKeyID:     aws.ToString(out.AccessKey.AccessKeyId),
		SecretAccessKey: aws.ToString(out.AccessKey.SecretAccessKey),
	}, nil
}
