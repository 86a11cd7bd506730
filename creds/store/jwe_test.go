package store

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// TestUnwrapKeyRFC3394 checks the key unwrap against RFC 3394's own test
// vector (§4.1), and that a changed byte fails its integrity check.
func TestUnwrapKeyRFC3394(t *testing.T) {
	hexBytes := func(s string) []byte {
		b, err := hex.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	kek := hexBytes("000102030405060708090A0B0C0D0E0F")
	wrapped := hexBytes("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5")
	got, err := unwrapKey(kek, wrapped)
	if err != nil {
		t.Fatal(err)
	}
	if want := hexBytes("00112233445566778899AABBCCDDEEFF"); !bytes.Equal(got, want) {
		t.Errorf("unwrapped %X, want %X", got, want)
	}
	wrapped[10] ^= 1
	if _, err := unwrapKey(kek, wrapped); err == nil {
		t.Error("a changed byte passed the integrity check")
	}
}

// TestOpenPBES2RejectsWhatItCannotOpen: malformed tokens, other algorithms
// and a PBKDF2 count that would stall hop are refused before any work.
func TestOpenPBES2RejectsWhatItCannotOpen(t *testing.T) {
	header := func(json string) string {
		return base64.RawURLEncoding.EncodeToString([]byte(json)) + ".AAAA.AAAA.AAAA.AAAA"
	}
	for name, token := range map[string]string{
		"not compact":   "abc",
		"not base64":    "!!.a.b.c.d",
		"other alg":     header(`{"alg":"dir","enc":"A256GCM"}`),
		"other enc":     header(`{"alg":"PBES2-HS256+A128KW","enc":"A128CBC-HS256","p2c":1,"p2s":"AAAA"}`),
		"compressed":    header(`{"alg":"PBES2-HS256+A128KW","enc":"A256GCM","zip":"DEF","p2c":1,"p2s":"AAAA"}`),
		"endless count": header(`{"alg":"PBES2-HS256+A128KW","enc":"A256GCM","p2c":1000000000,"p2s":"AAAA"}`),
	} {
		if _, err := openPBES2(token, "pass"); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
}

// TestWrapKeyRFC3394: key wrap gives RFC 3394's own output (§4.1) and
// unwraps to what it wrapped.
func TestWrapKeyRFC3394(t *testing.T) {
	kek, _ := hex.DecodeString("000102030405060708090A0B0C0D0E0F")
	key, _ := hex.DecodeString("00112233445566778899AABBCCDDEEFF")
	got, err := wrapKey(kek, key)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := hex.DecodeString("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"); !bytes.Equal(got, want) {
		t.Errorf("wrapped %X, want %X", got, want)
	}
}

// TestSealOpenPBES2: what is sealed opens with its passphrase only, and a
// changed byte of the content is damage, not a wrong passphrase.
func TestSealOpenPBES2(t *testing.T) {
	token, err := sealPBES2([]byte("payload"), "pass")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := openPBES2(token, "pass"); err != nil || string(got) != "payload" {
		t.Errorf("open = %q, %v", got, err)
	}
	if _, err := openPBES2(token, "other"); !errors.Is(err, errWrongPassphrase) {
		t.Errorf("open with another passphrase: %v, want errWrongPassphrase", err)
	}
	parts := strings.Split(token, ".")
	parts[3] = base64.RawURLEncoding.EncodeToString([]byte("changed"))
	if _, err := openPBES2(strings.Join(parts, "."), "pass"); !errors.Is(err, errDamaged) {
		t.Errorf("open of changed content: %v, want errDamaged", err)
	}
}

// TestOpenPBES2BoundsTheCount: an item asking for more PBKDF2 rounds than
// hop allows is refused before any are run, saying why.
func TestOpenPBES2BoundsTheCount(t *testing.T) {
	token, err := sealPBES2([]byte("payload"), "pass")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(token, ".")
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	header = bytes.Replace(header, []byte(`"p2c":8192`), []byte(`"p2c":2000000`), 1)
	parts[0] = base64.RawURLEncoding.EncodeToString(header)
	_, err = openPBES2(strings.Join(parts, "."), "pass")
	if err == nil || !strings.Contains(err.Error(), "asks for 2000000 PBKDF2 rounds") {
		t.Errorf("open of a 2,000,000-round item: %v, want a refusal naming the count", err)
	}
}
