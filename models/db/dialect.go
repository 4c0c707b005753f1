package db

import "gorm.io/gorm"

// Dialect is what must differ between the engines' SQL text, written once
// here; everything else is portable SQL (see doc.go). Areas that need their
// own engine-specific fragment add a method in a file of their own
// (dialect_<area>.go), never an engine test inside a service.
type Dialect struct{ pg bool }

// DialectOf is the dialect of the database behind g.
func DialectOf(g *gorm.DB) Dialect { return Dialect{pg: g.Dialector.Name() == "postgres"} }

// PostgreSQL tells whether the engine is PostgreSQL.
func (d Dialect) PostgreSQL() bool { return d.pg }

// IndexedBy is SQLite's index hint, " INDEXED BY name", for the few lists
// whose plans SQLite's statistics get wrong at scale; PostgreSQL's planner
// takes no hints and costs its own plan: "".
func (d Dialect) IndexedBy(name string) string {
	if d.pg {
		return ""
	}
	return " INDEXED BY " + name
}
