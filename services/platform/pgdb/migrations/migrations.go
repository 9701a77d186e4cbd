// Package migrations holds the platform's own goose migrations (outbox, inbox, idempotency
// tables), which pgdb.Migrate applies to every service database before the service's own.
package migrations

import "embed"

// FS holds the migration files at its root.
//
// The pattern is "*" rather than "*.sql" so that the package builds while the directory has no
// .sql file yet; goose only reads files named NNNNN_name.sql (or .go), so this file is ignored.
//
//go:embed *
var FS embed.FS
