package vault

import (
	"errors"
	"testing"
)

func TestSealOpenRoundTripAndTampering(t *testing.T) {
	k, err := ParseKey(NewKey())
	if err != nil {
		t.Fatal(err)
	}
	v, _ := New(k)
	s := v.Seal([]byte("密钥 secret"), "merchant_key")
	if got, err := v.Open(s, "merchant_key"); err != nil || string(got) != "密钥 secret" {
		t.Fatalf("open: %q %v", got, err)
	}
	s1, s2 := v.Seal([]byte("x"), "p"), v.Seal([]byte("x"), "p")
	if s1 == s2 {
		t.Fatal("nonce reused: equal ciphertexts")
	}
	if _, err := v.Open(s, "buyer_pii"); !errors.Is(err, ErrCorrupt) {
		t.Fatal("opened under another purpose")
	}
	b := []byte(s)
	b[len(b)-2] ^= 1
	if _, err := v.Open(string(b), "merchant_key"); !errors.Is(err, ErrCorrupt) {
		t.Fatal("tampered ciphertext opened")
	}
	other, _ := New(make([]byte, KeySize))
	if _, err := other.Open(s, "merchant_key"); !errors.Is(err, ErrCorrupt) {
		t.Fatal("opened under another master key")
	}
	for _, bad := range []string{"", "v1:", "v1:!!!", "plain"} {
		if _, err := v.Open(bad, "merchant_key"); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%q opened", bad)
		}
	}
}

func TestKeyParsing(t *testing.T) {
	if _, err := ParseKey("c2hvcnQ="); err == nil {
		t.Fatal("short key accepted")
	}
	if _, err := New(make([]byte, 16)); err == nil {
		t.Fatal("16-byte key accepted")
	}
}
