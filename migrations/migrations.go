package migrations

import (
	"embed"
	"io/fs"
)

//go:embed sqlite/*.sql
var sqliteFS embed.FS

//go:embed postgres/*.sql
var postgresFS embed.FS

// SQLite holds the embedded engine's migrations, PostgreSQL the second
// engine's: the same schema written once per dialect (each folder's numbers
// are the schema versions; PostgreSQL starts from a baseline at the version
// it was introduced).
var (
	SQLite     = sub(sqliteFS, "sqlite")
	PostgreSQL = sub(postgresFS, "postgres")
)

func sub(f embed.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}
