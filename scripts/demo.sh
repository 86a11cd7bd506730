#!/usr/bin/env bash
# make demo: the README scenario, locally, with no AWS account.
# moto_server plays STS, IAM and S3 with IAM authorization enforced; hop's
# Identity Center emulator plays the SSO portal and OIDC. Nothing leaves
# 127.0.0.1.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
hop=${HOP:-$root/bin/hop}
work=$(mktemp -d)
chmod 700 "$work"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- moto as STS, IAM and S3 -------------------------------------------------
port=$(free_port)
MOTO_ACCOUNT_ID=123412341234 moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
pids+=($!)
moto=http://127.0.0.1:$port
for _ in $(seq 100); do curl -fs "$moto/moto-api/" >/dev/null 2>&1 && break; sleep 0.1; done

# Setup runs before IAM auth is switched on, with moto's placeholder keys.
# moto matches trust-policy principals exactly, so the role trusts the user
# whose keys the emulator hands out as the permission set's credentials.
admin() { AWS_ACCESS_KEY_ID=setup AWS_SECRET_ACCESS_KEY=setup AWS_DEFAULT_REGION=us-east-1 aws --endpoint-url "$moto" "$@"; }
admin iam create-user --user-name sso-assumer >/dev/null
admin iam put-user-policy --user-name sso-assumer --policy-name AssumeRoleOnly \
	--policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}'
keys=$(admin iam create-access-key --user-name sso-assumer --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
read -r akid secret <<<"$keys"
admin iam create-role --role-name RoleForS3 \
	--assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123412341234:user/sso-assumer"},"Action":"sts:AssumeRole"}]}' >/dev/null
admin iam put-role-policy --role-name RoleForS3 --policy-name S3Read \
	--policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:ListBucket","s3:GetObject"],"Resource":"*"}]}'
admin s3api create-bucket --bucket hop-demo-bucket >/dev/null
curl -fs -X POST -H 'Content-Type: text/plain' --data-binary 0 "$moto/moto-api/reset-auth" >/dev/null

# --- the Identity Center emulator ---------------------------------------------
(cd "$root" && go build -o "$work/idcserver" ./internal/idc/idcserver)
IDC_GRANTS="123412341234:AssumeRolePolicy:$akid:$secret" "$work/idcserver" -listen 127.0.0.1:0 -auto-approve >"$work/idc.url" 2>"$work/idc.log" &
pids+=($!)
for _ in $(seq 100); do [[ -s $work/idc.url ]] && break; sleep 0.05; done
idc=$(head -1 "$work/idc.url")

# --- a user's machine ------------------------------------------------------------
export HOME=$work/home
mkdir -p -m 700 "$HOME/.aws"
cat >"$HOME/.aws/config" <<CONFIG
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile example]
sso_session = corp
sso_account_id = 123412341234
sso_role_name = AssumeRolePolicy
region = ap-northeast-1

[profile requires3]
role_arn = arn:aws:iam::123412341234:role/RoleForS3
source_profile = example
CONFIG
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_REGION AWS_DEFAULT_REGION AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE
export AWS_ENDPOINT_URL=$moto AWS_ENDPOINT_URL_SSO=$idc AWS_ENDPOINT_URL_SSO_OIDC=$idc
export HOP_BACKEND=${HOP_BACKEND:-file} HOP_FILE_DIR=$work/keyring HOP_FILE_PASSPHRASE=demo-passphrase
export HOP_NO_BROWSER=1

cat <<INTRO
hop demo: moto at $moto (IAM auth on), Identity Center emulator at $idc.
~/.aws/config has the SSO profile 'example' (may only call sts:AssumeRole)
and 'requires3' (RoleForS3, sourced from example).
INTRO

say "hop exec example -- aws s3api list-buckets"
set +e
"$hop" exec example -- aws s3api list-buckets
echo "(exit status $?: the permission set may not list buckets)"
set -e

say "hop exec requires3 -- aws s3api list-buckets --query 'Buckets[].Name'"
"$hop" exec requires3 -- aws s3api list-buckets --query 'Buckets[].Name' --output text

say "hop exec requires3 -- sh -c 'echo \$HOP_PROFILE in \$AWS_REGION, key \${AWS_ACCESS_KEY_ID:0:4}…'   (warm: served from the keyring)"
"$hop" exec requires3 -- sh -c 'echo "$HOP_PROFILE in $AWS_REGION, key $(printf %.4s "$AWS_ACCESS_KEY_ID")…"'

say "hop exec requires3 -- aws sts get-caller-identity --query Arn"
"$hop" exec requires3 -- aws sts get-caller-identity --query Arn --output text

say "printenv AWS_ACCESS_KEY_ID   (the parent shell holds nothing)"
printenv AWS_ACCESS_KEY_ID || echo "(unset)"

say "hop list"
"$hop" list

say "hop explain requires3"
"$hop" explain requires3

say "aws s3api list-buckets --profile via-hop   (credential_process = hop export --format process requires3)"
cat >>"$HOME/.aws/config" <<CONFIG

[profile via-hop]
credential_process = $hop export --format process requires3
region = ap-northeast-1
CONFIG
aws s3api list-buckets --profile via-hop --query 'Buckets[].Name' --output text
