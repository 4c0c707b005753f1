// Package migrations holds the numbered SQL migrations, embedded so the binary
// migrates its own database on start (goose applies them in order). River's
// own tables are migrated after them.
//
// Migration numbers are reserved when work starts and may land out of order
// (00007 came after 00010); goose applies a missing lower number to a
// database already past it. No migration depends on a later-numbered one.
// A binary refuses a database whose schema is newer than it knows.
package migrations
