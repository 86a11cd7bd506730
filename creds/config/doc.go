// Package config reads the AWS config and credentials files as botocore
// does (sections, [DEFAULT], nested service settings), into a Config that
// answers questions about profiles, sso-sessions and endpoints. A large
// config is read through an on-disk index of its sections, so a warm exec
// parses only the sections it asks for. It also writes the config: a
// profile added, or the file replaced in one rename.
package config
