// Package pgdb is the services' PostgreSQL foundation: finding a server (or making a private
// one for local runs), creating databases, opening pgx pools, running goose migrations under an
// advisory lock, transactions, and classifying "database unavailable" errors.
package pgdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/puddle/v2"
)

// pingTimeout bounds the first connection when the caller's context has no earlier deadline.
const pingTimeout = 10 * time.Second

// DefaultMaxConns is a pool's size when neither the URL (pool_max_conns) nor the caller sets
// one: 4 connections a core, 8 to 32. pgxpool's own default, max(4, cores), made the calls of
// a loaded API queue for a connection while the server had time for more (docs/BENCHMARKS.md).
// Several processes share the server's max_connections (100 by default): size them together.
func DefaultMaxConns() int32 { return int32(min(32, max(8, 4*runtime.GOMAXPROCS(0)))) }

// Open returns a pool for url (pool_max_conns and the other pool_* parameters are honoured;
// without pool_max_conns the pool holds up to DefaultMaxConns) after checking that the database
// answers. Errors never contain the password.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	return OpenMax(ctx, url, 0)
}

// OpenMax is Open with the pool's size set by the caller (a service's <PREFIX>DATABASE_MAX_CONNS);
// maxConns 0 leaves it to the URL, else DefaultMaxConns.
func OpenMax(ctx context.Context, url string, maxConns int) (*pgxpool.Pool, error) {
	cfg, err := parsePoolConfig(url)
	if err != nil {
		return nil, err
	}
	switch {
	case maxConns > 0:
		cfg.MaxConns = int32(maxConns)
	case !strings.Contains(url, "pool_max_conns="):
		cfg.MaxConns = DefaultMaxConns()
	}
	if cfg.MinConns > cfg.MaxConns {
		cfg.MinConns = cfg.MaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgdb: open %s: %w", describe(cfg.ConnConfig), err)
	}
	pctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgdb: connect to %s: %w", describe(cfg.ConnConfig), err)
	}
	return pool, nil
}

// parsePoolConfig does not wrap the parser's error: it may quote the URL, password included.
func parsePoolConfig(url string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, errors.New("pgdb: cannot parse the database URL (not shown: it may hold a password)")
	}
	return cfg, nil
}

// describe names a connection for logs and errors, without its password.
func describe(c *pgx.ConnConfig) string {
	return fmt.Sprintf("postgres://%s@%s/%s", c.User, net.JoinHostPort(c.Host, fmt.Sprint(c.Port)), c.Database)
}

// InTx runs fn in a transaction: commit when fn returns nil, rollback otherwise (or on panic).
func InTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, pool, fn)
}

// IsUnavailable tells whether err means the database cannot be reached right now (refused or
// broken connection, server shutting down or starting up, too many connections, closed pool),
// so that callers answer UNAVAILABLE and clients retry. Context cancellation is not included:
// callers map that to CANCELLED / DEADLINE_EXCEEDED themselves.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	// A server's answer decides: e.g. a failed login or missing database is not transient.
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "57P01", "57P02", "57P03", "53300": // admin/crash shutdown, starting up, too many connections
			return true
		}
		return strings.HasPrefix(pgErr.Code, "08") // connection exception class
	}
	var connectErr *pgconn.ConnectError
	switch {
	case errors.As(err, &connectErr),
		errors.Is(err, puddle.ErrClosedPool),
		errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, net.ErrClosed),
		errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.EHOSTUNREACH),
		errors.Is(err, syscall.ENETUNREACH):
		return true
	}
	return false
}
