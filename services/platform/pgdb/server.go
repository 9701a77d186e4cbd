package pgdb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// localURL is the conventional developer server: localhost:5432, user postgres, trust auth.
const localURL = "postgres://postgres@localhost:5432/postgres?sslmode=disable"

// Server is a PostgreSQL server the process may create databases on.
type Server struct {
	AdminURL string // URL of its maintenance database ("postgres")

	cluster *cluster // private cluster, nil otherwise
	started bool     // this process started the cluster, so Close stops it
}

// Options say where to find or make a server; Discover fills them from the environment.
type Options struct {
	URL       string // a server to use (any database on it); empty: probe localhost, then a private cluster
	SkipLocal bool   // do not probe localhost:5432
	DataDir   string // the private cluster lives in DataDir/postgres
	Port      int    // port of a private cluster when it is created; 0 means 54329
	Fast      bool   // private cluster without fsync: for tests, where only speed matters
}

// Discover finds the server to use: DATABASE_URL if set, else a server answering on
// localhost:5432 (user postgres, trust), else a private cluster under dataDir/postgres, created
// and started as needed. CITYHALL_PG_SKIP_LOCAL=1 skips the localhost probe and CITYHALL_PG_PORT
// sets the port of a new private cluster.
func Discover(ctx context.Context, dataDir string) (*Server, error) {
	port, _ := strconv.Atoi(os.Getenv("CITYHALL_PG_PORT"))
	return DiscoverWith(ctx, Options{
		URL:       os.Getenv("DATABASE_URL"),
		SkipLocal: os.Getenv("CITYHALL_PG_SKIP_LOCAL") == "1",
		DataDir:   dataDir,
		Port:      port,
	})
}

// DiscoverWith is Discover with explicit options.
func DiscoverWith(ctx context.Context, o Options) (*Server, error) {
	if o.URL != "" {
		s := &Server{AdminURL: withDatabase(o.URL, "postgres")}
		if err := ping(ctx, s.AdminURL); err != nil {
			return nil, fmt.Errorf("pgdb: server from the given URL: %w", err)
		}
		slog.InfoContext(ctx, "postgres: using the configured server", "server", redact(s.AdminURL))
		return s, nil
	}
	if !o.SkipLocal {
		err := ping(ctx, localURL)
		if err == nil {
			slog.InfoContext(ctx, "postgres: using the local server", "server", redact(localURL))
			return &Server{AdminURL: localURL}, nil
		}
		slog.InfoContext(ctx, "postgres: no usable local server, using a private cluster", "reason", err.Error())
	}
	if o.DataDir == "" {
		return nil, errors.New("pgdb: no database URL, no local server and no data directory for a private cluster")
	}
	return startPrivate(ctx, o)
}

// Close stops the private cluster if this process started it; otherwise it does nothing.
func (s *Server) Close(ctx context.Context) error {
	if s.cluster == nil || !s.started {
		return nil
	}
	s.started = false
	if err := s.cluster.stop(ctx); err != nil {
		return fmt.Errorf("pgdb: stop private cluster: %w", err)
	}
	slog.InfoContext(ctx, "postgres: private cluster stopped", "dir", s.cluster.pgdata)
	return nil
}

// DatabaseURL is the URL of database name on the same server.
func (s *Server) DatabaseURL(name string) string { return withDatabase(s.AdminURL, name) }

// EnsureDatabase creates database name unless it exists and returns its URL. Two processes may
// race: the loser sees "already exists" and succeeds too.
func (s *Server) EnsureDatabase(ctx context.Context, name string) (string, error) {
	conn, err := connect(ctx, s.AdminURL)
	if err != nil {
		return "", fmt.Errorf("pgdb: ensure database %q: %w", name, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", fmt.Errorf("pgdb: ensure database %q: %w", name, err)
	}
	for attempt := 0; !exists; attempt++ {
		_, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
		var pgErr *pgconn.PgError
		switch {
		case err == nil:
			slog.InfoContext(ctx, "postgres: database created", "database", name)
			exists = true
		case errors.As(err, &pgErr) && (pgErr.Code == "42P04" || pgErr.Code == "23505"):
			exists = true // created meanwhile by someone else (duplicate_database or its catalog unique index)
		case errors.As(err, &pgErr) && pgErr.Code == "55006" && attempt < 10:
			// Someone is connected to template1 for a moment (often another CREATE DATABASE): retry.
			select {
			case <-ctx.Done():
				return "", ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		default:
			return "", fmt.Errorf("pgdb: create database %q: %w", name, err)
		}
	}
	return s.DatabaseURL(name), nil
}

// DropDatabase drops database name if it exists, ending the sessions still connected to it.
func (s *Server) DropDatabase(ctx context.Context, name string) error {
	conn, err := connect(ctx, s.AdminURL)
	if err != nil {
		return fmt.Errorf("pgdb: drop database %q: %w", name, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("pgdb: drop database %q: %w", name, err)
	}
	return nil
}

// connect opens one connection; pool_* URL parameters are accepted and ignored.
func connect(ctx context.Context, url string) (*pgx.Conn, error) {
	cfg, err := parsePoolConfig(url)
	if err != nil {
		return nil, err
	}
	if _, ok := ctx.Deadline(); !ok && cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = pingTimeout
	}
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", describe(cfg.ConnConfig), err)
	}
	return conn, nil
}

func ping(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, err := connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return conn.Ping(ctx)
}

// withDatabase replaces the database of a connection string, URL or keyword/value form.
func withDatabase(connString, name string) string {
	if strings.HasPrefix(connString, "postgres://") || strings.HasPrefix(connString, "postgresql://") {
		u, err := url.Parse(connString)
		if err == nil {
			u.Path = "/" + name
			u.RawPath = ""
			return u.String()
		}
	}
	// In keyword/value form the last occurrence of a keyword wins.
	return connString + " dbname='" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(name) + "'"
}

// redact describes a connection string for logs without its password.
func redact(connString string) string {
	cfg, err := parsePoolConfig(connString)
	if err != nil {
		return "(unparsable connection string)"
	}
	return describe(cfg.ConnConfig)
}
