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
package koogallery
