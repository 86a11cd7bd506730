// Package creds turns a profile into a Chain and knows what a session is:
// the AWS CLI's rules for source_profile, role_arn, credential_source and
// SSO (Resolve), the cache keys and contents of sessions, the SSO token
// cache, and the long-term keys hop stores. It reads the config through
// creds/config and the keyring through creds/store, and links no AWS SDK:
// the front links it for a warm exec. Fetching credentials is creds/fetch's.
package creds
