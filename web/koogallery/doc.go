// Package koogallery implements the seller-side SaaS production interface of
// Huawei Cloud KooGallery (华为云云商店): V1 authToken signing (GET and the
// 联营 POST variant), V2 signature/timestamp/nonce signing, the Body-Sign
// response header, the AES credential encryption with its SHA1PRNG-derived
// key, the activity DTOs with their M/O and length rules, a client that
// plays the marketplace, and helpers a seller uses to verify incoming calls
// and answer them.
//
// The arithmetic follows /work/shared/reference/koogallery-protocol.md; the
// worked vectors of that document are the package's tests. The package uses
// only the standard library and holds no global mutable state apart from a
// bounded cache of derived AES keys.
//
// # What it covers
//
// Both sides of the protocol, with no database and no echo, importable by
// any Go seller (a test in models/app keeps it a standard-library leaf):
//
//   - V1 authToken (GET and the 联营 POST variant);
//   - V2 signature/timestamp/nonce with a ±60 s window and a nonce replay
//     cache (raw body first, key-sorted body second);
//   - Body-Sign on responses;
//   - AES credentials with the SHA1PRNG-derived key (AES-256 encryptType 1,
//     AES-128 encryptType 2, 79-byte plaintext limit);
//   - typed requests and responses for every activity with the spec's M/O
//     and length rules, and all result codes with zh-CN and English meanings;
//   - a client that classifies every failure (timeout, connection,
//     http_status, bad_body_sign, bad_json, missing_field, business_code,
//     invalid_request) and keeps the exchange;
//   - server helpers for sellers.
//
// Every worked vector of the spec is a table test (testdata/vectors.json);
// fuzz targets with committed seed corpora cover the V1 query parser, the V2
// body parser, Body-Sign parsing and decrypt.
//
// The same arithmetic is available from the command line for merchants
// debugging "my authToken does not match" (sellercenter koo v1-token,
// v2-sign, body-sign, encrypt, decrypt; each prints only its result, bad
// input goes to stderr with exit 2), and on the debugger page. The reference
// seller endpoint built on this package is package sandbox
// (go run ./cmd/saas-sandbox).
//
// # Benchmarks
//
//	go test -run '^$' -bench . ./web/koogallery/
//
// ns/op on the project's 2-core machine:
//
//	V1 token                               1,643
//	V2 signature                           2,026
//	Body-Sign                                989
//	key derivation (uncached / cached)   335 / 31
//	encrypt AES-256                          867
//	decrypt AES-256                          770
//	decrypt auto (AES-128 value)           2,010
//
// Key derivation is cached per (key, bits), so a call's crypto costs a few
// microseconds.
package koogallery
