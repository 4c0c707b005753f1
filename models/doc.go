// Package models holds the entities, enums, transition tables and pure rules
// of Seller Center. It does no I/O: the per-workflow packages below it
// (models/accounts, models/audit, …) own the queries and transactions.
package models
