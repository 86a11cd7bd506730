"""Reads AWS config/credentials pairs as the AWS CLI does, for hop's
differential test (creds/botocore_test.go).

stdin: a JSON list of [config_path, credentials_path]. stdout: a JSON list,
one entry per pair: {"error": "..."} when botocore refuses the files, else
{"profiles": [[name, settings], ...] in botocore's order, "sso_sessions":
{...}, "services": {...}}. A nested block's value is a dict.
"""
import json
import sys

import botocore.exceptions
import botocore.session


def read(session, config_path, credentials_path):
    # A new Session costs 15 ms; full_config is cached in _config, so one
    # session serves every pair once that is cleared.
    session._config = None
    session.set_config_variable('config_file', config_path)
    session.set_config_variable('credentials_file', credentials_path)
    try:
        full = session.full_config
    except botocore.exceptions.ConfigParseError as e:
        return {'error': str(e)}
    return {
        'profiles': [[name, settings] for name, settings in full['profiles'].items()],
        'sso_sessions': full.get('sso_sessions', {}),
        'services': full.get('services', {}),
    }


def main():
    pairs = json.load(sys.stdin)
    session = botocore.session.Session()
    json.dump([read(session, c, k) for c, k in pairs], sys.stdout)


main()
