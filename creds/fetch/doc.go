// Package fetch is where the AWS SDK lives: it walks a creds.Chain hop by
// hop (SSO sign-in and role credentials, AssumeRole, web identity,
// credential_process, stored keys), caching each session in the keyring
// through github.com/99designs/keyring, and it lists, rotates and signs
// out. The front never links it.
package fetch
