// Package catalog owns what the provisioning core needs to reach a merchant:
// products, the production-interface endpoint, access keys, and the bearer
// tokens of marketplace integrations.
//
// # Endpoint URLs
//
// Endpoint URLs must be https and public (URLPolicy). Loopback, private,
// link-local and CGNAT addresses are refused when saved and at connect time
// (a name that later resolves inward is still refused), as is the seller
// center's own address, so the seller center cannot be used to reach
// internal hosts. Demo mode and SELLERCENTER_ALLOW_PRIVATE_ENDPOINTS=1 allow
// them. The guard uses only the standard library.
//
// # Keys
//
// A merchant's access key is stored sealed under the master key
// (models/vault). Rotation has an overlap (sellercenter merchant set-endpoint
// --overlap, or /settings/keys): a new key signs at once; the previous one
// keeps verifying for the overlap, and the provisioning core retries a call
// the merchant refuses with 000001 (or a Body-Sign mismatch) with each
// retiring key, so a merchant can switch its side at any moment within the
// overlap.
//
// # Intake tokens
//
// Marketplace integrations call the intake API with a bearer token
// (sellercenter token issue --name N prints a new one alone on one line).
package catalog
