package creds

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
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
