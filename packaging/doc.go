// Package packaging holds the description of hop's Linux packages for nfpm
// (nfpm.yaml) and the test that keeps it and the release configuration
// (.goreleaser.yaml) describing the same packages. It has no code.
package packaging
