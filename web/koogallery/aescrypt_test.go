package koogallery

import (
	"bytes"
	"crypto/cipher"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestSHA1PRNGReadsAreSplitLikeJava(t *testing.T) {
	// Java carries unread digest bytes over to the next nextBytes call; any
	// split of the reads must give the same stream.
	whole := make([]byte, 100)
	_, _ = newSHA1PRNG([]byte(testKey)).Read(whole)
	for _, split := range [][]int{{1, 99}, {19, 1, 20, 60}, {20, 20, 60}, {7, 7, 7, 79}, {33, 67}} {
		p := newSHA1PRNG([]byte(testKey))
		var got []byte
		for _, n := range split {
			b := make([]byte, n)
			_, _ = p.Read(b)
			got = append(got, b...)
		}
		if !bytes.Equal(got, whole) {
			t.Errorf("split %v gives a different stream", split)
		}
	}
	k256, _ := DeriveKey(testKey, 256)
	if !bytes.Equal(whole[:32], k256) {
		t.Error("DeriveKey differs from the stream")
	}
}

func TestSHA1PRNGSignedCarry(t *testing.T) {
	// state all 0xFF, output all 0x01, carry-in 1. Java's signed bytes:
	// byte 0 is -1+1+1 = 1 (carry 0), every other byte -1+1+0 = 0. An
	// unsigned little-endian add would give 255+1+1 = 257 → 01 with carry 1
	// at every byte, i.e. 01 01 01 …
	p := &sha1PRNG{}
	for i := range p.state {
		p.state[i] = 0xff
	}
	var out [20]byte
	for i := range out {
		out[i] = 0x01
	}
	p.updateState(out)
	want := make([]byte, 20)
	want[0] = 1
	if !bytes.Equal(p.state[:], want) {
		t.Errorf("state %x, want %x", p.state, want)
	}

	// When the addition changes no byte (output = -1 then zeros on a zero
	// state), Java bumps state[0].
	p = &sha1PRNG{}
	out = [20]byte{0: 0xff}
	p.updateState(out)
	want = make([]byte, 20)
	want[0] = 1
	if !bytes.Equal(p.state[:], want) {
		t.Errorf("unchanged state must bump byte 0, got %x", p.state)
	}
}

func TestDecryptRejectsBadInput(t *testing.T) {
	good, _ := EncryptWithIV(testKey, "admin", "Ab3dEf6hIj9kLm2n", EncryptAES256)
	cases := []struct {
		name, value string
		target      error
	}{
		{"empty", "", ErrBadIV},
		{"short IV", "Ab3dEf6h", ErrBadIV},
		{"IV with a space", "Ab3dEf6hIj9k m2n" + good[16:], ErrBadIV},
		{"IV with non-ASCII", "Ab3dEf6hIj9kLm2é" + good[17:], ErrBadIV},
		{"malformed Base64", good[:16] + "zGI0Tk8s!F2194FH7yNX8Q==", ErrBadBase64},
		{"non-canonical Base64", good[:16] + "zGI0Tk8sCF2194FH7yNX8R==", ErrBadBase64},
		{"no ciphertext", good[:16], ErrBadCiphertext},
		{"partial block", good[:16] + "AAAA", ErrBadCiphertext},
		{"too long", good[:16] + strings.Repeat("A", maxCipherChars), ErrBadCiphertext},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decrypt(testKey, tc.value, EncryptAES256)
			if !errors.Is(err, tc.target) {
				t.Errorf("Decrypt: %v, want %v", err, tc.target)
			}
			if _, _, err := DecryptAuto(testKey, tc.value); !errors.Is(err, tc.target) {
				t.Errorf("DecryptAuto: %v, want %v", err, tc.target)
			}
		})
	}
	if _, err := Decrypt(testKey, good, EncryptAES128); !errors.Is(err, ErrBadPadding) && !errors.Is(err, ErrNotUTF8) {
		t.Errorf("AES-128 key on an AES-256 value: %v", err)
	}
	if _, err := Decrypt("another-key", good, EncryptAES256); !errors.Is(err, ErrBadPadding) && !errors.Is(err, ErrNotUTF8) {
		t.Errorf("wrong key: %v", err)
	}
	if _, _, err := DecryptAuto("another-key", good); !errors.Is(err, ErrBadPadding) && !errors.Is(err, ErrNotUTF8) {
		t.Errorf("DecryptAuto wrong key: %v", err)
	}
	if _, err := Decrypt("", good, EncryptAES256); !errors.Is(err, ErrEmptyKey) {
		t.Errorf("empty key: %v", err)
	}
	if _, err := Decrypt(testKey, good, "3"); !errors.Is(err, ErrBadEncryptType) {
		t.Errorf("encryptType 3: %v", err)
	}
}

func TestDecryptNonUTF8Plaintext(t *testing.T) {
	// Build a ciphertext of invalid UTF-8 by hand: Encrypt refuses to.
	block, _ := cachedBlock(testKey, 256)
	buf := append([]byte{0xff, 0xfe}, bytes.Repeat([]byte{14}, 14)...)
	iv := "Ab3dEf6hIj9kLm2n"
	ct := make([]byte, 16)
	cipher.NewCBCEncrypter(block, []byte(iv)).CryptBlocks(ct, buf)
	if _, err := decryptBlocks(testKey, 256, iv, ct); !errors.Is(err, ErrNotUTF8) {
		t.Errorf("err %v, want ErrNotUTF8", err)
	}
}

func TestDecryptToleratesSpacesForPlus(t *testing.T) {
	// Find a plaintext whose ciphertext contains '+', then corrupt it the way
	// query decoding does.
	for i := 0; i < 1000; i++ {
		pt := "user" + strings.Repeat("x", i%50) + string(rune('a'+i%26))
		v, err := EncryptWithIV(testKey, pt, "Ab3dEf6hIj9kLm2n", EncryptAES128)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(v[16:], "+") {
			continue
		}
		got, et, err := DecryptAuto(testKey, strings.ReplaceAll(v, "+", " "))
		if err != nil || got != pt || et != EncryptAES128 {
			t.Fatalf("DecryptAuto(%q) = %q, %s, %v", v, got, et, err)
		}
		return
	}
	t.Fatal("no ciphertext with '+' found")
}

func TestEncryptRejectsBadInput(t *testing.T) {
	if _, err := Encrypt(testKey, "a\xffb", EncryptAES256); !errors.Is(err, ErrNotUTF8) {
		t.Errorf("non-UTF-8: %v", err)
	}
	for _, iv := range []string{"short", "Ab3dEf6hIj9kLm2nX", "Ab3dEf6hIj9k\x00m2n"} {
		if _, err := EncryptWithIV(testKey, "a", iv, EncryptAES256); !errors.Is(err, ErrBadIV) {
			t.Errorf("IV %q: %v", iv, err)
		}
	}
	if _, err := Encrypt("", "a", EncryptAES256); !errors.Is(err, ErrEmptyKey) {
		t.Errorf("empty key: %v", err)
	}
	if _, err := Encrypt(testKey, "a", "0"); !errors.Is(err, ErrBadEncryptType) {
		t.Errorf("bad type: %v", err)
	}
	// The limit counts UTF-8 bytes: 27 three-byte characters are 81 bytes.
	if _, err := Encrypt(testKey, strings.Repeat("中", 27), EncryptAES256); !errors.Is(err, ErrPlaintextTooLong) {
		t.Errorf("81 bytes of Chinese: %v", err)
	}
	if _, err := DeriveKey(testKey, 192); !errors.Is(err, ErrBadEncryptType) {
		t.Errorf("192 bits: %v", err)
	}
}

func TestNewIVIsAlphanumeric(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		iv := NewIV()
		if len(iv) != IVLength || strings.Trim(iv, ivAlphabet) != "" {
			t.Fatalf("IV %q", iv)
		}
		seen[iv] = true
	}
	if len(seen) < 200 {
		t.Error("IVs repeat")
	}
}

func TestParseEncryptType(t *testing.T) {
	for in, want := range map[string]EncryptType{"": EncryptAES256, "1": EncryptAES256, "2": EncryptAES128} {
		if got, err := ParseEncryptType(in); err != nil || got != want {
			t.Errorf("%q: %s, %v", in, got, err)
		}
	}
	if _, err := ParseEncryptType("256"); !errors.Is(err, ErrBadEncryptType) {
		t.Error("256 must not parse as an encryptType")
	}
	if et, _ := EncryptTypeForBits(128); et.Bits() != 128 {
		t.Error("EncryptTypeForBits(128)")
	}
}

func TestKeyCacheConcurrentAndBounded(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				key := "k-" + hex.EncodeToString([]byte{byte(g), byte(i), byte(i >> 8)})
				v, err := Encrypt(key, "p", EncryptAES128)
				if err != nil {
					t.Error(err)
					return
				}
				if pt, err := Decrypt(key, v, EncryptAES128); err != nil || pt != "p" {
					t.Errorf("%s: %q %v", key, pt, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	blockCache.RLock()
	n := len(blockCache.m)
	blockCache.RUnlock()
	if n > blockCacheMax {
		t.Errorf("cache holds %d blocks, bound %d", n, blockCacheMax)
	}
}
