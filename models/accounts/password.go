package accounts

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/sellercenter/sellercenter/models"
)

// HashParams are argon2id's cost parameters. They are written into each hash,
// so lowering them (tests do) never breaks hashes made with other values.
type HashParams struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultHashParams follow OWASP's argon2id minimum (19 MiB, 2 passes): about
// 50 ms a login on this class of machine, yet costly to brute-force offline.
var DefaultHashParams = HashParams{Time: 2, Memory: 19 * 1024, Threads: 1}

// TestHashParams make hashing cheap for test suites.
var TestHashParams = HashParams{Time: 1, Memory: 64, Threads: 1}

// argon2id accepts any length, unlike bcrypt's 72-byte cut-off, which matters
// because passwords up to 1024 bytes are allowed.
func hashPassword(p HashParams, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("malformed password hash")

func checkPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var p HashParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// newPasswordHash checks a new password against the rules (a 422 naming
// "password") and hashes it, outside any transaction: argon2id is slow on
// purpose and must not hold the writer.
func (s *Service) newPasswordHash(password string) (string, error) {
	v := &models.ValidationError{}
	validatePassword(v, "password", password)
	if err := v.Err(); err != nil {
		return "", err
	}
	return hashPassword(s.hash, password)
}
