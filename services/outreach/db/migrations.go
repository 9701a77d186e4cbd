// Package db holds the outreach database: migrations and the reference data seeded into it.
package db

import (
	"embed"
	"io/fs"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations is the root of the service's goose migrations.
var Migrations, _ = fs.Sub(migrations, "migrations")

// Seed holds the reference data loaded at start: the ССТУ classifier (a copy of
// shared/data/classifier.csv; a test keeps them equal).
//
//go:embed seed/*.csv
var Seed embed.FS
