package pgdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const defaultPort = 54329

// cluster is a private PostgreSQL cluster made with the local binaries.
type cluster struct {
	pgdata string              // its data directory
	bin    string              // directory holding initdb and pg_ctl
	cred   *syscall.Credential // run the binaries as this user (postgres when we are root)
}

// startPrivate makes (initdb) and starts the cluster in o.DataDir/postgres as needed. A file lock
// serialises processes doing the same at the same time (e.g. test binaries run in parallel).
func startPrivate(ctx context.Context, o Options) (*Server, error) {
	dir, err := filepath.Abs(o.DataDir)
	if err != nil {
		return nil, fmt.Errorf("pgdb: private cluster: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("pgdb: private cluster: %w", err)
	}
	unlock, err := lockFile(filepath.Join(dir, "postgres.lock"))
	if err != nil {
		return nil, fmt.Errorf("pgdb: private cluster: %w", err)
	}
	defer unlock()

	c := &cluster{pgdata: filepath.Join(dir, "postgres")}
	if c.bin, err = findBinaries(); err != nil {
		return nil, fmt.Errorf("pgdb: private cluster: %w", err)
	}
	if c.cred, err = runAs(); err != nil {
		return nil, fmt.Errorf("pgdb: private cluster: %w", err)
	}
	if _, err := os.Stat(filepath.Join(c.pgdata, "PG_VERSION")); errors.Is(err, fs.ErrNotExist) {
		if err := c.create(ctx, o); err != nil {
			return nil, fmt.Errorf("pgdb: create private cluster in %s: %w", c.pgdata, err)
		}
	}

	s := &Server{cluster: c}
	port, err := c.waitRunning(ctx)
	if err != nil {
		return nil, err
	}
	if port == 0 {
		if err := c.pgCtl(ctx, "start", "-w", "-t", "60", "-l", c.logFile()); err != nil {
			return nil, fmt.Errorf("pgdb: start private cluster in %s: %w%s", c.pgdata, err, c.logTail())
		}
		s.started = true
		var running bool
		if port, running = c.runningPort(); !running {
			return nil, fmt.Errorf("pgdb: private cluster in %s started but has no postmaster.pid", c.pgdata)
		}
	}
	s.AdminURL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	if err := ping(ctx, s.AdminURL); err != nil {
		if s.started {
			_ = c.stop(context.WithoutCancel(ctx))
		}
		return nil, fmt.Errorf("pgdb: private cluster in %s does not answer: %w", c.pgdata, err)
	}
	slog.InfoContext(ctx, "postgres: using a private cluster", "dir", c.pgdata, "server", redact(s.AdminURL), "started", s.started)
	return s, nil
}

// create runs initdb in a scratch directory and renames it into place once configured, so that
// a half-made cluster is never taken for a usable one.
func (c *cluster) create(ctx context.Context, o Options) error {
	tmp := c.pgdata + ".init"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return err
	}
	if c.cred != nil {
		if err := os.Chown(tmp, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return err
		}
	}
	slog.InfoContext(ctx, "postgres: creating a private cluster", "dir", c.pgdata)
	if err := c.run(ctx, "initdb", "-D", tmp, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"); err != nil {
		return err
	}

	port := o.Port
	if port == 0 {
		port = defaultPort
	}
	if !portFree(port) {
		free, err := freePort()
		if err != nil {
			return err
		}
		slog.WarnContext(ctx, "postgres: port busy, private cluster gets another", "busy", port, "port", free)
		port = free
	}
	// The socket lives in the data directory: /var/run/postgresql may not exist or be writable,
	// and socket paths are limited to 107 bytes, beyond which we go TCP only.
	sockets := c.pgdata
	if len(sockets)+len("/.s.PGSQL.65535") > 107 {
		sockets = ""
	}
	conf := fmt.Sprintf("\n# cityhall private cluster\nport = %d\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\n",
		port, strings.ReplaceAll(sockets, "'", "''"))
	if o.Fast {
		// Safe against a killed server (the OS still has the data), not against a power cut.
		conf += "fsync = off\nfull_page_writes = off\nmax_connections = 300\n"
	}
	f, err := os.OpenFile(filepath.Join(tmp, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(conf); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, c.pgdata)
}

func (c *cluster) stop(ctx context.Context) error {
	return c.pgCtl(ctx, "stop", "-w", "-m", "fast")
}

func (c *cluster) pgCtl(ctx context.Context, action string, args ...string) error {
	return c.run(ctx, "pg_ctl", append([]string{action, "-D", c.pgdata}, args...)...)
}

// run runs a PostgreSQL binary as the cluster's user, in its own process group so that a Ctrl-C
// meant for us does not reach a server that pg_ctl leaves running.
func (c *cluster) run(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	cmd.Dir = "/" // the postgres user may not be allowed into our working directory
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.cred}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// waitRunning returns the port of the cluster's running server, or 0 when none runs. A server
// found may still be starting, or be a killed one not yet reaped: wait until it answers or goes.
func (c *cluster) waitRunning(ctx context.Context) (int, error) {
	for deadline := time.Now().Add(15 * time.Second); ; {
		port, running := c.runningPort()
		if !running {
			return 0, nil
		}
		err := ping(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port))
		if err == nil {
			return port, nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("pgdb: private cluster in %s runs but does not answer: %w", c.pgdata, err)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// runningPort reads the port of a live server from postmaster.pid.
func (c *cluster) runningPort() (int, bool) {
	b, err := os.ReadFile(filepath.Join(c.pgdata, "postmaster.pid"))
	if err != nil {
		return 0, false
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return 0, false
	}
	pid, err1 := strconv.Atoi(strings.TrimSpace(lines[0]))
	port, err2 := strconv.Atoi(strings.TrimSpace(lines[3]))
	if err1 != nil || err2 != nil || pid <= 0 {
		return 0, false
	}
	// A pid file left by a killed server names a dead process; pg_ctl start copes with it.
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return 0, false
	}
	return port, true
}

func (c *cluster) logFile() string { return filepath.Join(c.pgdata, "server.log") }

// logTail is the end of the server log, which says why a start failed.
func (c *cluster) logTail() string {
	b, err := os.ReadFile(c.logFile())
	if err != nil || len(b) == 0 {
		return ""
	}
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return "\nserver log (end):\n" + string(bytes.TrimSpace(b))
}

// findBinaries locates initdb and pg_ctl: $CITYHALL_PG_BIN, $PATH, then the newest
// /usr/lib/postgresql/<version>/bin (Debian keeps them off $PATH).
func findBinaries() (string, error) {
	if dir := os.Getenv("CITYHALL_PG_BIN"); dir != "" {
		return dir, nil
	}
	has := func(dir string) bool {
		_, err1 := os.Stat(filepath.Join(dir, "initdb"))
		_, err2 := os.Stat(filepath.Join(dir, "pg_ctl"))
		return err1 == nil && err2 == nil
	}
	if p, err := exec.LookPath("initdb"); err == nil && has(filepath.Dir(p)) {
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	version := func(d string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(d)), 64)
		return v
	}
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if has(d) {
			return d, nil
		}
	}
	return "", errors.New("initdb and pg_ctl not found (set CITYHALL_PG_BIN, or install PostgreSQL)")
}

// runAs is the postgres OS user when we are root, since initdb and postgres refuse to run as root.
func runAs() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root needs a postgres OS user to own the cluster: %w", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("postgres OS user has non-numeric ids %s:%s", u.Uid, u.Gid)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// lockFile takes an exclusive flock on path, blocking; the returned func releases it.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
