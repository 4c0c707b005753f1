// Package db opens the embedded SQLite database with the settings the rest of
// the application relies on, and migrates it.
//
// # Connections
//
// WAL mode, _txlock=immediate (no lock-upgrade deadlocks), a 10 s busy
// timeout, foreign keys on, one writer connection (SQLite has one writer
// anyway; a single connection turns lock waits into Go-side queueing) and a
// pool of 8 read connections that GORM routes plain reads to
// (gorm.io/plugin/dbresolver), so lists and exports never wait behind
// writes. River runs on a small pool of its own (OpenPool).
//
// # Decisions
//
// Dispatch transactions commit in groups (Group): an attempt's claim and its
// record wait for the commit under way and go into the next one with
// whatever else waits (up to 64; no gain is measured above ~15), each in its
// own savepoint, so one part's failure rolls back only that part. A commit
// costs 0.2 ms of page writes, more than most transactions' statements. A
// lone transaction is a plain transaction, so a quiet system sees no extra
// latency; under load one waits for at most one commit more.
//
// PRAGMA optimize runs at start (analysing only what changed) and hourly, so
// SQLite's planner keeps choosing the list indexes as a merchant's data
// grows.
package db
