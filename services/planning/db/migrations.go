// Package db holds the planning database: migrations, queries and the reference data seeded into it.
package db

import (
	"embed"
	"io/fs"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations is the root of the service's goose migrations.
var Migrations, _ = fs.Sub(migrations, "migrations")

// Seed holds the reference data loaded into an empty directory: the districts and departments
// (copies of shared/data; a test keeps them equal).
//
//go:embed seed/*.csv
var Seed embed.FS
