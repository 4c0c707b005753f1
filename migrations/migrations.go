// Package migrations holds the numbered SQL migrations, embedded so the binary
// migrates its own database on start (goose applies them in order).
package migrations

import "embed"

//go:embed *.sql
var FS embed.FS
