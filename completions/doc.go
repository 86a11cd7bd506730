// Package completions gives hop's shell completion: the static scripts that
// `hop completions SHELL` prints, and a fast listing of profile names. It
// reads only section headers of the AWS files and never loads the AWS SDK
// or the keyring, so TAB stays quick even with thousands of profiles.
package completions
