package creds

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
)

// The keyring library's file store seals each item as a JWE (RFC 7516) in
// compact form, with a passphrase: PBES2-HS256+A128KW wraps the content key
// (RFC 7518 §4.8) and A256GCM encrypts the item (§5.3). Peek opens it with
// the standard library alone: the JOSE library the keyring uses brings
// X.509, networking and compression whose initialisation would cost every
// warm start more than the decryption does. Writing stays with the
// library, and TestPeekReadsWhatTheLibraryWrote holds this to what it
// writes.

// maxPBES2Count bounds the PBKDF2 rounds a token may ask for, so a planted
// file cannot stall hop. The library writes 8,192.
const maxPBES2Count = 1 << 20

var errSealed = errors.New("not a token hop can open")

// openPBES2 returns the plaintext of a compact JWE sealed with passphrase.
// A wrong passphrase fails the key unwrap's integrity check.
func openPBES2(token, passphrase string) ([]byte, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 5 {
		return nil, errSealed
	}
	raw := make([][]byte, 5)
	for i, p := range parts {
		var err error
		if raw[i], err = base64.RawURLEncoding.DecodeString(p); err != nil {
			return nil, errSealed
		}
	}
	var header struct {
		Alg, Enc, Zip, P2S string
		P2C                int
	}
	if json.Unmarshal(raw[0], &header) != nil || header.Alg != "PBES2-HS256+A128KW" || header.Enc != "A256GCM" ||
		header.Zip != "" || header.P2C < 1 || header.P2C > maxPBES2Count {
		return nil, errSealed
	}
	p2s, err := base64.RawURLEncoding.DecodeString(header.P2S)
	if err != nil {
		return nil, errSealed
	}
	salt := append(append([]byte(header.Alg), 0), p2s...)
	kek, err := pbkdf2.Key(sha256.New, passphrase, salt, header.P2C, 16)
	if err != nil {
		return nil, err
	}
	cek, err := unwrapKey(kek, raw[1])
	if err != nil || len(cek) != 32 {
		return nil, errors.New("the passphrase does not open this item")
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil || len(raw[2]) != gcm.NonceSize() {
		return nil, errSealed
	}
	// The additional data is the header as encoded in the token.
	return gcm.Open(nil, raw[2], append(raw[3], raw[4]...), []byte(parts[0]))
}

// unwrapKey is AES key unwrap (RFC 3394 §2.2.2) with its integrity check.
func unwrapKey(kek, wrapped []byte) ([]byte, error) {
	if len(wrapped) < 24 || len(wrapped)%8 != 0 {
		return nil, errSealed
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	n := len(wrapped)/8 - 1
	a := binary.BigEndian.Uint64(wrapped)
	r := append([]byte(nil), wrapped[8:]...)
	var b [16]byte
	for j := 5; j >= 0; j-- {
		for i := n; i >= 1; i-- {
			binary.BigEndian.PutUint64(b[:8], a^uint64(n*j+i))
			copy(b[8:], r[(i-1)*8:i*8])
			block.Decrypt(b[:], b[:])
			a = binary.BigEndian.Uint64(b[:8])
			copy(r[(i-1)*8:i*8], b[8:])
		}
	}
	var iv [8]byte
	binary.BigEndian.PutUint64(iv[:], a)
	if subtle.ConstantTimeCompare(iv[:], []byte{0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6}) != 1 {
		return nil, errSealed
	}
	return r, nil
}
