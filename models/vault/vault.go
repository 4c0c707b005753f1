// Package vault encrypts secrets at rest (merchant keys, buyer PII, instance
// credentials) under the master key with AES-256-GCM.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the master key length in bytes.
const KeySize = 32

const prefix = "v1:"

// ErrCorrupt is returned for ciphertexts that do not open: tampered, cut, or
// sealed under another master key or for another purpose.
var ErrCorrupt = errors.New("vault: ciphertext does not open under this master key")

// Vault seals and opens values.
type Vault struct{ aead cipher.AEAD }

// New builds a vault from a 32-byte master key.
func New(key []byte) (*Vault, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("vault: master key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Vault{aead: aead}, nil
}

// ParseKey decodes a base64 master key (standard or URL alphabet).
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == KeySize {
			return b, nil
		}
	}
	return nil, fmt.Errorf("vault: master key must be %d bytes in base64", KeySize)
}

// NewKey returns a fresh random master key, base64-encoded.
func NewKey() string {
	b := make([]byte, KeySize)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// Seal encrypts plain. purpose binds the ciphertext to its use (e.g.
// "merchant_key"), so a value copied into another column does not open there.
func (v *Vault) Seal(plain []byte, purpose string) string {
	nonce := make([]byte, v.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	ct := v.aead.Seal(nonce, nonce, plain, []byte(purpose))
	return prefix + base64.RawStdEncoding.EncodeToString(ct)
}

// Open decrypts a value sealed for purpose.
func (v *Vault) Open(sealed, purpose string) ([]byte, error) {
	if !strings.HasPrefix(sealed, prefix) {
		return nil, ErrCorrupt
	}
	raw, err := base64.RawStdEncoding.DecodeString(sealed[len(prefix):])
	if err != nil || len(raw) < v.aead.NonceSize() {
		return nil, ErrCorrupt
	}
	n := v.aead.NonceSize()
	plain, err := v.aead.Open(nil, raw[:n], raw[n:], []byte(purpose))
	if err != nil {
		return nil, ErrCorrupt
	}
	return plain, nil
}

// Purposes of the sealed columns: a value opens only for the purpose it was
// sealed for.
const (
	PurposeMerchantKey = "merchant_key"
	PurposeBuyerPII    = "buyer_pii"
	PurposeAppInfo     = "app_info"
)
