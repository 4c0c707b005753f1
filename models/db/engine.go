package db

import (
	"strings"
)

// Engine is the database engine a DSN names.
type Engine string

const (
	// SQLite is the embedded default: one file, one machine, one writer.
	SQLite Engine = "sqlite"
	// PostgreSQL is the second engine, for several instances on one database.
	PostgreSQL Engine = "postgres"
)

// EngineOf tells the engine from a DSN: a postgres:// or postgresql:// URL is
// PostgreSQL, anything else a SQLite file path.
func EngineOf(dsn string) Engine {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return PostgreSQL
	}
	return SQLite
}

// Redacted is the DSN without its password, for logs and /healthz.
func Redacted(dsn string) string {
	if EngineOf(dsn) != PostgreSQL {
		return dsn
	}
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://") + 3
	if at < scheme {
		return dsn
	}
	user := dsn[scheme:at]
	if i := strings.Index(user, ":"); i >= 0 {
		user = user[:i] + ":***"
	}
	return dsn[:scheme] + user + dsn[at:]
}
