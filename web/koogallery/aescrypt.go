package koogallery

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// EncryptType is the encryptType of a response: which AES variant protects
// appInfo.userName and appInfo.password.
type EncryptType string

// Encryption types (spec §3). AES-256 is the default.
const (
	EncryptAES256 EncryptType = "1"
	EncryptAES128 EncryptType = "2"
)

const (
	// IVLength is the number of clear IV characters prefixed to a ciphertext.
	IVLength = 16
	// MaxPlaintextBytes is the longest UTF-8 plaintext whose encrypted form,
	// 16 + Base64(16·⌈(n+1)/16⌉), fits the 128 characters allowed for
	// appInfo.userName/password.
	MaxPlaintextBytes = 79
	// maxCipherChars bounds what Decrypt will look at; real values are at
	// most a few hundred characters.
	maxCipherChars = 64 << 10
)

// ParseEncryptType reads an encryptType; the empty string means the
// documented default, AES-256.
func ParseEncryptType(s string) (EncryptType, error) {
	switch EncryptType(s) {
	case "", EncryptAES256:
		return EncryptAES256, nil
	case EncryptAES128:
		return EncryptAES128, nil
	}
	return "", fmt.Errorf("%w: %q", ErrBadEncryptType, s)
}

// EncryptTypeForBits maps 256 and 128 to their encryptType.
func EncryptTypeForBits(bits int) (EncryptType, error) {
	switch bits {
	case 256:
		return EncryptAES256, nil
	case 128:
		return EncryptAES128, nil
	}
	return "", fmt.Errorf("%w: %d bits", ErrBadEncryptType, bits)
}

// Bits returns 256 or 128, or 0 for an invalid type.
func (t EncryptType) Bits() int {
	switch t {
	case "", EncryptAES256:
		return 256
	case EncryptAES128:
		return 128
	}
	return 0
}

// DeriveKey computes, without caching, the AES key the Java demo derives
// from accessKey: the first bits/8 bytes of SHA1PRNG seeded with the UTF-8
// access key.
func DeriveKey(accessKey string, bits int) ([]byte, error) {
	if accessKey == "" {
		return nil, ErrEmptyKey
	}
	if bits != 128 && bits != 256 {
		return nil, fmt.Errorf("%w: %d bits", ErrBadEncryptType, bits)
	}
	key := make([]byte, bits/8)
	_, _ = newSHA1PRNG([]byte(accessKey)).Read(key)
	return key, nil
}

type blockKey struct {
	accessKey string
	bits      int
}

// blockCache keeps expanded AES keys so a call's crypto costs microseconds.
// It is bounded because a seller center serves many merchants' keys; when
// full it drops an arbitrary entry, which only costs a re-derivation.
var blockCache = struct {
	sync.RWMutex
	m map[blockKey]cipher.Block
}{m: make(map[blockKey]cipher.Block)}

const blockCacheMax = 1024

func cachedBlock(accessKey string, bits int) (cipher.Block, error) {
	k := blockKey{accessKey, bits}
	blockCache.RLock()
	b, ok := blockCache.m[k]
	blockCache.RUnlock()
	if ok {
		return b, nil
	}
	key, err := DeriveKey(accessKey, bits)
	if err != nil {
		return nil, err
	}
	b, err = aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	blockCache.Lock()
	if len(blockCache.m) >= blockCacheMax {
		for old := range blockCache.m {
			delete(blockCache.m, old)
			break
		}
	}
	blockCache.m[k] = b
	blockCache.Unlock()
	return b, nil
}

const ivAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// NewIV returns 16 random alphanumeric characters, the IV form the spec
// prescribes.
func NewIV() string {
	var out [IVLength]byte
	var buf [32]byte
	n := 0
	for n < IVLength {
		_, _ = rand.Read(buf[:]) // crypto/rand.Read never fails since Go 1.24
		for _, c := range buf {
			// Rejection sampling keeps the 62 symbols uniform.
			if c < 248 && n < IVLength {
				out[n] = ivAlphabet[int(c)%len(ivAlphabet)]
				n++
			}
		}
	}
	return string(out[:])
}

// Encrypt encrypts a credential with a fresh random IV and returns
// iv + Base64(AES-CBC-PKCS5(plaintext)).
func Encrypt(accessKey, plaintext string, t EncryptType) (string, error) {
	return EncryptWithIV(accessKey, plaintext, NewIV(), t)
}

// EncryptWithIV is Encrypt with a caller-chosen IV, for test vectors.
func EncryptWithIV(accessKey, plaintext, iv string, t EncryptType) (string, error) {
	bits := t.Bits()
	if bits == 0 {
		return "", fmt.Errorf("%w: %q", ErrBadEncryptType, string(t))
	}
	if !validIV(iv) {
		return "", ErrBadIV
	}
	if !utf8.ValidString(plaintext) {
		return "", ErrNotUTF8
	}
	if len(plaintext) > MaxPlaintextBytes {
		return "", &PlaintextTooLongError{Bytes: len(plaintext)}
	}
	block, err := cachedBlock(accessKey, bits)
	if err != nil {
		return "", err
	}
	pad := aes.BlockSize - len(plaintext)%aes.BlockSize
	buf := make([]byte, len(plaintext)+pad)
	copy(buf, plaintext)
	for i := len(plaintext); i < len(buf); i++ {
		buf[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, []byte(iv)).CryptBlocks(buf, buf)
	return iv + base64.StdEncoding.EncodeToString(buf), nil
}

// Decrypt reverses Encrypt for a known key size. Spaces in the Base64 part
// are read as '+', the corruption a '+' suffers when a query string is
// decoded (spec §2.1 notes).
func Decrypt(accessKey, value string, t EncryptType) (string, error) {
	bits := t.Bits()
	if bits == 0 {
		return "", fmt.Errorf("%w: %q", ErrBadEncryptType, string(t))
	}
	if accessKey == "" {
		return "", ErrEmptyKey
	}
	iv, ct, err := splitCiphertext(value)
	if err != nil {
		return "", err
	}
	return decryptBlocks(accessKey, bits, iv, ct)
}

// DecryptAuto tries AES-256 and then AES-128, because which size the
// marketplace uses for mobilePhone/email is unconfirmed. A key size is
// accepted when the padding is valid and the result is UTF-8.
func DecryptAuto(accessKey, value string) (string, EncryptType, error) {
	if accessKey == "" {
		return "", "", ErrEmptyKey
	}
	iv, ct, err := splitCiphertext(value)
	if err != nil {
		return "", "", err
	}
	pt, err256 := decryptBlocks(accessKey, 256, iv, ct)
	if err256 == nil {
		return pt, EncryptAES256, nil
	}
	pt, err128 := decryptBlocks(accessKey, 128, iv, ct)
	if err128 == nil {
		return pt, EncryptAES128, nil
	}
	return "", "", fmt.Errorf("%w (tried AES-256 and AES-128)", err128)
}

func splitCiphertext(value string) (iv string, ct []byte, err error) {
	if len(value) > maxCipherChars {
		return "", nil, fmt.Errorf("%w: value longer than %d characters", ErrBadCiphertext, maxCipherChars)
	}
	if len(value) < IVLength || !validIV(value[:IVLength]) {
		return "", nil, ErrBadIV
	}
	b64 := strings.ReplaceAll(value[IVLength:], " ", "+")
	// Strict: Java never emits non-canonical Base64, and rejecting it keeps
	// decrypt∘encrypt an exact round trip.
	ct, err = base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil {
		return "", nil, fmt.Errorf("%w: %v", ErrBadBase64, err)
	}
	if len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return "", nil, ErrBadCiphertext
	}
	return value[:IVLength], ct, nil
}

func decryptBlocks(accessKey string, bits int, iv string, ct []byte) (string, error) {
	block, err := cachedBlock(accessKey, bits)
	if err != nil {
		return "", err
	}
	buf := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, []byte(iv)).CryptBlocks(buf, ct)
	pad := int(buf[len(buf)-1])
	if pad < 1 || pad > aes.BlockSize || !bytes.Equal(buf[len(buf)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return "", ErrBadPadding
	}
	pt := buf[:len(buf)-pad]
	if !utf8.Valid(pt) {
		return "", ErrNotUTF8
	}
	return string(pt), nil
}

// validIV accepts any 16 printable ASCII bytes on input: the spec generates
// alphanumerics, but the IV is used verbatim and nothing else is at stake.
func validIV(iv string) bool {
	if len(iv) != IVLength {
		return false
	}
	for i := 0; i < len(iv); i++ {
		if iv[i] < 0x21 || iv[i] > 0x7e {
			return false
		}
	}
	return true
}

// decodeBase64Lenient reads Base64 that travelled through a query string:
// spaces are '+', padding may be missing.
func decodeBase64Lenient(s string) ([]byte, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "+")
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	b, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadBase64, err)
	}
	return b, nil
}
