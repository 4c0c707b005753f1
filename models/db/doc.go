// Package db opens the database a DSN names — the embedded SQLite file (the
// default) or PostgreSQL (a postgres:// URL) — with the settings the rest of
// the application relies on, and migrates it.
//
// # Connections
//
// SQLite: WAL mode, _txlock=immediate (no lock-upgrade deadlocks), a 10 s
// busy timeout, foreign keys on, one writer connection (SQLite has one
// writer anyway; a single connection turns lock waits into Go-side
// queueing) and a pool of 8 read connections that GORM routes plain reads
// to (gorm.io/plugin/dbresolver), so lists and exports never wait behind
// writes. River runs on a small pool of its own (JobDriver).
//
// PostgreSQL: one pgx pool (40 connections per instance unless the DSN sets
// pool_max_conns), sessions in UTC, exposed as database/sql so a GORM
// transaction is also River's (riverdatabasesql; River hears new jobs on a
// LISTEN connection of River's pgx driver). The pool accepts SQLite's ?
// placeholders (pgconn.go), so the dispatch path's and the tests' direct SQL
// is written once. SELLERCENTER_DB_REPLICAS adds read replicas that only the
// read-only lists and their exports use (ListReads).
//
// # Two engines, one schema
//
// migrations/sqlite and migrations/postgres hold the same schema per
// version: PostgreSQL starts from a baseline at version 24 and every later
// migration is written in both folders. testdata/schema.golden is the schema
// both must describe (TestSchemaParity: tables, column type classes,
// indexes, keys, foreign keys, checks, triggers); triggers_test.go runs the
// same rollup checks on both. Services write portable SQL (bare boolean
// predicates, aliased subqueries, substr(CAST(t AS TEXT), …) for UTC
// months); what must differ is a method of Dialect, never an engine test in
// a service.
//
// Instances starting together migrate one at a time (an advisory lock).
//
// # Decisions
//
// SQLite dispatch transactions commit in groups (Group): an attempt's claim
// and its record wait for the commit under way and go into the next one with
// whatever else waits (up to 64; no gain is measured above ~15), each in its
// own savepoint, so one part's failure rolls back only that part. A commit
// costs 0.2 ms of page writes, more than most transactions' statements. A
// lone transaction is a plain transaction, so a quiet system sees no extra
// latency; under load one waits for at most one commit more. On PostgreSQL,
// which runs writers side by side, every caller gets its own transaction.
//
// PRAGMA optimize runs at start (analysing only what changed) and hourly, so
// SQLite's planner keeps choosing the list indexes as a merchant's data
// grows; PostgreSQL's autovacuum keeps its own statistics.
//
// Tests: dbtest.Open gives each test a SQLite file, or with
// SELLERCENTER_TEST_POSTGRES set a PostgreSQL database cloned from a
// template migrated once per schema.
package db
