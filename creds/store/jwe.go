package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The file store seals each item as a JWE (RFC 7516) in compact form, with
// a passphrase: PBES2-HS256+A128KW wraps the content key (RFC 7518 §4.8)
// and A256GCM encrypts the item (§5.3). This is the format the keyring
// library's file store writes, so items it wrote open here and items
// written here open with it; TestFileStoreMatchesTheLibrary holds the two
// together. The standard library alone does it: the JOSE library the
// keyring uses brings X.509, networking and compression whose
// initialisation would cost every warm start more than the decryption.

const (
	pbes2Alg = "PBES2-HS256+A128KW"
	jweEnc   = "A256GCM"
	// pbes2Count is the PBKDF2 rounds hop seals with: the count the
	// keyring library writes, so either can read the other's items.
	pbes2Count = 8192
	// maxPBES2Count bounds the rounds an item may ask for (OWASP's figure
	// for PBKDF2-HMAC-SHA256), so a planted item costs a tenth of a second
	// at most rather than minutes of CPU that no signal interrupts.
	maxPBES2Count = 600_000
)

var (
	errSealed          = errors.New("not an item hop can open")
	errWrongPassphrase = errors.New("the passphrase does not open this item")
	// errDamaged: the passphrase unwrapped the item's key, so it is the
	// right one, but the content fails its integrity check.
	errDamaged = errors.New("the item is damaged")
)

type jweHeader struct {
	Alg     string `json:"alg"`
	Enc     string `json:"enc"`
	Zip     string `json:"zip,omitempty"`
	P2C     int    `json:"p2c"`
	P2S     string `json:"p2s"`
	Created string `json:"created,omitempty"`
}

// sealPBES2 returns payload as a compact JWE sealed with passphrase.
func sealPBES2(payload []byte, passphrase string) (string, error) {
	p2s := make([]byte, 12)
	cek := make([]byte, 32)
	nonce := make([]byte, 12)
	for _, b := range [][]byte{p2s, cek, nonce} {
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
	}
	header, err := json.Marshal(jweHeader{Alg: pbes2Alg, Enc: jweEnc, P2C: pbes2Count,
		P2S: base64.RawURLEncoding.EncodeToString(p2s), Created: time.Now().String()})
	if err != nil {
		return "", err
	}
	kek, err := pbes2Key(passphrase, p2s, pbes2Count)
	if err != nil {
		return "", err
	}
	wrapped, err := wrapKey(kek, cek)
	if err != nil {
		return "", err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	protected := base64.RawURLEncoding.EncodeToString(header)
	sealed := gcm.Seal(nil, nonce, payload, []byte(protected))
	ciphertext, tag := sealed[:len(sealed)-gcm.Overhead()], sealed[len(sealed)-gcm.Overhead():]
	parts := []string{protected}
	for _, b := range [][]byte{wrapped, nonce, ciphertext, tag} {
		parts = append(parts, base64.RawURLEncoding.EncodeToString(b))
	}
	return strings.Join(parts, "."), nil
}

// openPBES2 returns the plaintext of a compact JWE sealed with passphrase.
// A wrong passphrase fails the key unwrap's integrity check
// (errWrongPassphrase); a right one over damaged content fails GCM's
// (errDamaged).
func openPBES2(token, passphrase string) ([]byte, error) {
	parts, raw, cek, err := unwrapPBES2(token, passphrase)
	if err != nil {
		return nil, err
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
	plain, err := gcm.Open(nil, raw[2], append(raw[3], raw[4]...), []byte(parts[0]))
	if err != nil {
		return nil, errDamaged
	}
	return plain, nil
}

// unwrapPBES2 parses a token and unwraps its content key: the part of
// opening that tells whether passphrase is the one it was sealed with.
func unwrapPBES2(token, passphrase string) (parts []string, raw [][]byte, cek []byte, err error) {
	parts = strings.Split(token, ".")
	if len(parts) != 5 {
		return nil, nil, nil, errSealed
	}
	raw = make([][]byte, 5)
	for i, p := range parts {
		if raw[i], err = base64.RawURLEncoding.DecodeString(p); err != nil {
			return nil, nil, nil, errSealed
		}
	}
	var header jweHeader
	if json.Unmarshal(raw[0], &header) != nil || header.Alg != pbes2Alg || header.Enc != jweEnc ||
		header.Zip != "" || header.P2C < 1 {
		return nil, nil, nil, errSealed
	}
	if header.P2C > maxPBES2Count {
		return nil, nil, nil, fmt.Errorf("%w: it asks for %d PBKDF2 rounds, over the %d hop allows", errSealed, header.P2C, maxPBES2Count)
	}
	p2s, err := base64.RawURLEncoding.DecodeString(header.P2S)
	if err != nil {
		return nil, nil, nil, errSealed
	}
	kek, err := pbes2Key(passphrase, p2s, header.P2C)
	if err != nil {
		return nil, nil, nil, err
	}
	cek, err = unwrapKey(kek, raw[1])
	if err != nil || len(cek) != 32 {
		return nil, nil, nil, errWrongPassphrase
	}
	return parts, raw, cek, nil
}

// pbes2Key derives the key-encryption key; the salt is the algorithm's
// name, a zero byte and p2s (RFC 7518 §4.8.1.1).
func pbes2Key(passphrase string, p2s []byte, count int) ([]byte, error) {
	salt := append(append([]byte(pbes2Alg), 0), p2s...)
	return pbkdf2.Key(sha256.New, passphrase, salt, count, 16)
}

var keyWrapIV = []byte{0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6}

// wrapKey is AES key wrap (RFC 3394 §2.2.1).
func wrapKey(kek, key []byte) ([]byte, error) {
	if len(key) < 16 || len(key)%8 != 0 {
		return nil, errors.New("key wrap: the key must be a multiple of 8 bytes")
	}
	block, err := aes.NewCipher(kek)
	if err != nil {
		return nil, err
	}
	n := len(key) / 8
	a := binary.BigEndian.Uint64(keyWrapIV)
	r := append([]byte(nil), key...)
	var b [16]byte
	for j := 0; j <= 5; j++ {
		for i := 1; i <= n; i++ {
			binary.BigEndian.PutUint64(b[:8], a)
			copy(b[8:], r[(i-1)*8:i*8])
			block.Encrypt(b[:], b[:])
			a = binary.BigEndian.Uint64(b[:8]) ^ uint64(n*j+i)
			copy(r[(i-1)*8:i*8], b[8:])
		}
	}
	out := make([]byte, 8, 8+len(r))
	binary.BigEndian.PutUint64(out, a)
	return append(out, r...), nil
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
	if subtle.ConstantTimeCompare(iv[:], keyWrapIV) != 1 {
		return nil, errSealed
	}
	return r, nil
}
