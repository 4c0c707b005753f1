// Package models holds the entities, enums, transition tables and pure rules
// of Seller Center. It does no I/O: the per-workflow packages below it
// (models/accounts, models/audit, …) own the queries and transactions, and
// models/app builds them all.
//
// Each state machine (order line, instance, call, demand, ticket) is one
// transition table in statemachines.go. What each role may do is one table,
// permissions.go: every route is guarded by exactly one permission from it,
// and the services check the same table again. A merchant's rows are
// invisible to every other merchant: a foreign id answers 404, never 403, so
// existence does not leak.
//
// Money is integer minor units (fen/cents). The marketplace allows up to
// three decimals in orderAmount; the intake API accepts at most two and
// refuses a third with a clear message rather than round money silently
// (⚠ no source says KooGallery ever sends fractions of a fen).
package models
