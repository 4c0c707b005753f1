package koogallery

import (
	"errors"
	"fmt"
	"strings"
)

// Authentication failures. A seller answers each of them with
// ResultAuthFailed (000001), still signed.
var (
	ErrMissingAuthToken = errors.New("koogallery: authToken missing")
	ErrMissingTimestamp = errors.New("koogallery: timeStamp missing")
	ErrBadAuthToken     = errors.New("koogallery: authToken does not match")
	ErrMissingSignature = errors.New("koogallery: signature, timestamp or nonce missing")
	ErrBadTimestamp     = errors.New("koogallery: timestamp malformed")
	ErrStaleTimestamp   = errors.New("koogallery: timestamp outside the allowed window")
	ErrBadNonce         = errors.New("koogallery: nonce malformed")
	ErrBadSignature     = errors.New("koogallery: signature does not match")
	ErrReplayedNonce    = errors.New("koogallery: nonce already used")
)

// Malformed requests. A seller answers each of them with
// ResultInvalidParam (000002).
var (
	ErrBadQuery       = errors.New("koogallery: malformed query string")
	ErrDuplicateParam = errors.New("koogallery: duplicate parameter")
	ErrBodyTooLarge   = errors.New("koogallery: body exceeds the size limit")
	ErrBadJSON        = errors.New("koogallery: malformed JSON body")
	ErrMethod         = errors.New("koogallery: unsupported HTTP method")
	ErrBadTime        = errors.New("koogallery: malformed time value")
)

// Configuration and crypto errors.
var (
	ErrEmptyKey          = errors.New("koogallery: empty access key")
	ErrBadEncryptType    = errors.New("koogallery: encryptType must be 1 (AES-256) or 2 (AES-128)")
	ErrBadIV             = errors.New("koogallery: IV must be 16 printable ASCII characters")
	ErrBadBase64         = errors.New("koogallery: malformed Base64")
	ErrBadCiphertext     = errors.New("koogallery: ciphertext length is not a positive multiple of 16")
	ErrBadPadding        = errors.New("koogallery: bad padding (wrong key, key size or corrupted ciphertext)")
	ErrNotUTF8           = errors.New("koogallery: text is not valid UTF-8")
	ErrPlaintextTooLong  = errors.New("koogallery: plaintext too long")
	ErrBodySignMissing   = errors.New("koogallery: Body-Sign header missing")
	ErrBodySignMalformed = errors.New("koogallery: Body-Sign header malformed")
	ErrBodySignMismatch  = errors.New("koogallery: Body-Sign does not match the body")
)

// PlaintextTooLongError reports a credential that would not fit the 128
// characters the marketplace allows for the ciphertext (IV included).
type PlaintextTooLongError struct {
	Bytes int // UTF-8 length of the rejected plaintext
}

func (e *PlaintextTooLongError) Error() string {
	return fmt.Sprintf("koogallery: plaintext is %d bytes, at most %d fit the 128-character ciphertext limit", e.Bytes, MaxPlaintextBytes)
}

// Is makes errors.Is(err, ErrPlaintextTooLong) true.
func (e *PlaintextTooLongError) Is(target error) bool { return target == ErrPlaintextTooLong }

// FieldError is one parameter that broke a rule of the spec tables.
type FieldError struct {
	Field   string // wire name, e.g. "orderId" or "appInfo.frontEndUrl"
	Problem string // e.g. "missing", "longer than 64 characters"
}

// ValidationError lists every parameter that broke a rule, so a caller can
// show all of them at once instead of one per round trip.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Problem
	}
	return "koogallery: invalid parameters: " + strings.Join(parts, "; ")
}

// FieldNames returns the names of the offending fields in order.
func (e *ValidationError) FieldNames() []string {
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Field
	}
	return names
}

func (e *ValidationError) add(field, format string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (e *ValidationError) orNil() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

var authErrors = []error{
	ErrMissingAuthToken, ErrMissingTimestamp, ErrBadAuthToken, ErrMissingSignature,
	ErrBadTimestamp, ErrStaleTimestamp, ErrBadNonce, ErrBadSignature, ErrReplayedNonce,
}

var requestErrors = []error{
	ErrBadQuery, ErrDuplicateParam, ErrBodyTooLarge, ErrBadJSON, ErrMethod, ErrBadTime,
}

// IsAuthError reports whether err means the caller could not be
// authenticated.
func IsAuthError(err error) bool {
	for _, target := range authErrors {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// ResultCodeForError maps an error of Verifier.ParseRequest to the result
// code a seller answers with: 000001 for authentication, 000002 for a
// malformed or invalid request, 000005 for anything else.
func ResultCodeForError(err error) ResultCode {
	if err == nil {
		return ResultSuccess
	}
	if IsAuthError(err) {
		return ResultAuthFailed
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ResultInvalidParam
	}
	for _, target := range requestErrors {
		if errors.Is(err, target) {
			return ResultInvalidParam
		}
	}
	return ResultInternalError
}
