// Package migrations holds the platform's own goose migrations (outbox, inbox, idempotency
// tables), which pgdb.Migrate applies to every service database before the service's own.
package migrations

import "embed"

// FS holds the migration files (NNNNN_name.sql) at its root.
//
//go:embed *.sql
var FS embed.FS
