"""Drives the emulator with botocore's own sso-oidc and sso clients.

Usage: python3 botocore_wire.py BASE_URL ACCOUNT ROLE

The Go test arranges the server first (no auto-approve; one injected
SlowDownException on CreateToken and one TooManyRequestsException on
GetRoleCredentials) and checks the JSON report printed on stdout. The report
holds facts about each step, never the tokens themselves.
"""

import base64
import hashlib
import json
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request

import botocore.session
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

base, account, role = sys.argv[1:4]
config = Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1})
session = botocore.session.get_session()
oidc = session.create_client("sso-oidc", region_name="us-east-1", endpoint_url=base, config=config)
sso = session.create_client("sso", region_name="us-east-1", endpoint_url=base, config=config)
report = {}


def step(name, call, summarize=lambda out: {}):
    """Runs call, records a summary or the error code, returns the output."""
    try:
        out = call()
    except ClientError as err:
        report[name] = {
            "error": err.response["Error"]["Code"],
            "status": err.response["ResponseMetadata"]["HTTPStatusCode"],
        }
        return None
    report[name] = dict(summarize(out), error=None)
    return out


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browse(url):
    """GETs url like a browser that stops at the first redirect."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url) as resp:
            return resp.status, None
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Location")


# Device flow, the way botocore's SSOTokenFetcher does it.
reg = step(
    "register",
    lambda: oidc.register_client(clientName="botocore-check", clientType="public", scopes=["sso:account:access"]),
    lambda o: {"secretExpiresAtIsInt": isinstance(o["clientSecretExpiresAt"], int)},
)
creds = {"clientId": reg["clientId"], "clientSecret": reg["clientSecret"]}
dev = step(
    "startDevice",
    lambda: oidc.start_device_authorization(startUrl="https://corp.awsapps.com/start", **creds),
    lambda o: {"interval": o["interval"], "expiresIn": o["expiresIn"], "linkOnServer": o["verificationUriComplete"].startswith(base)},
)
poll = lambda: oidc.create_token(grantType="urn:ietf:params:oauth:grant-type:device_code", deviceCode=dev["deviceCode"], **creds)
token_facts = lambda o: {"tokenType": o["tokenType"], "expiresIn": o["expiresIn"], "hasRefresh": "refreshToken" in o}
step("pollSlowDown", poll)
step("pollPending", poll)
report["verifyStatus"] = browse(dev["verificationUriComplete"])[0]
tok = step("pollApproved", poll, token_facts)

fresh = step(
    "refresh",
    lambda: oidc.create_token(grantType="refresh_token", refreshToken=tok["refreshToken"], **creds),
    lambda o: dict(token_facts(o), newAccessToken=o["accessToken"] != tok["accessToken"]),
)
step("refreshReused", lambda: oidc.create_token(grantType="refresh_token", refreshToken=tok["refreshToken"], **creds))

# Portal.
get_creds = lambda access: sso.get_role_credentials(accessToken=access, accountId=account, roleName=role)
step("credsThrottled", lambda: get_creds(fresh["accessToken"]))
step(
    "creds",
    lambda: get_creds(fresh["accessToken"]),
    lambda o: {
        "accessKeyId": o["roleCredentials"]["accessKeyId"],
        "expirationIsInt": isinstance(o["roleCredentials"]["expiration"], int),
        "hasSessionTokenKey": "sessionToken" in o["roleCredentials"],
    },
)
step("credsBadToken", lambda: get_creds("not-a-token"))
step(
    "accounts",
    lambda: sso.list_accounts(accessToken=fresh["accessToken"]),
    lambda o: {"ids": [a["accountId"] for a in o["accountList"]]},
)

# Authorization code with PKCE, with the parameters the AWS CLI v2 sends.
callback = "http://127.0.0.1:49152/oauth/callback"
auth_reg = step(
    "registerAuthCode",
    lambda: oidc.register_client(
        clientName="botocore-check",
        clientType="public",
        scopes=["sso:account:access"],
        grantTypes=["authorization_code", "refresh_token"],
        redirectUris=["http://127.0.0.1/oauth/callback"],
        issuerUrl="https://corp.awsapps.com/start",
    ),
)
auth_creds = {"clientId": auth_reg["clientId"], "clientSecret": auth_reg["clientSecret"]}
verifier = secrets.token_urlsafe(64)
challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
query = urllib.parse.urlencode(
    {
        "response_type": "code",
        "client_id": auth_reg["clientId"],
        "redirect_uri": callback,
        "state": "botocore-state",
        "code_challenge_method": "S256",
        "scopes": "sso:account:access",
        "code_challenge": challenge,
    }
)
status, location = browse(base + "/authorize?" + query)
answer = urllib.parse.parse_qs(urllib.parse.urlparse(location or "").query)
report["authorize"] = {"status": status, "state": answer.get("state", [""])[0], "hasCode": "code" in answer}
exchange = lambda v: oidc.create_token(
    grantType="authorization_code", code=answer["code"][0], redirectUri=callback, codeVerifier=v, **auth_creds
)
step("pkceBadVerifier", lambda: exchange(secrets.token_urlsafe(64)))
pkce = step("pkce", lambda: exchange(verifier), token_facts)

step("logout", lambda: sso.logout(accessToken=pkce["accessToken"]))
step("credsAfterLogout", lambda: get_creds(pkce["accessToken"]))

json.dump(report, sys.stdout, indent=1, sort_keys=True)
