// Package store keeps what hop caches on disk and in the kernel: hop's own
// file keyring (FileStore, sealed with JWE PBES2), reads of the kernel
// keyring store without the keyring library (Peek, Holds), the session
// index, the locks concurrent hops share, and bounded reads and atomic
// writes of the files hop owns. It links no keyring library and no SDK:
// creds/fetch opens the library's stores, and the front links this one.
package store
