package models

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// RequestHash fingerprints an intake request, so a repeat of an id with the
// same content (answered as before) is told from one with other content (a
// conflict).
func RequestHash(in any) string {
	b, _ := json.Marshal(in)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
