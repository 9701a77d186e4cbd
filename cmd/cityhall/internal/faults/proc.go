// Package faults is the fault-test harness (issue 7): it builds the binaries once, runs the
// appeals service as separate API, relay and consumer processes beside a real nats-server, a
// real PostgreSQL, the dev issuer and the gateway (all on loopback), drives a known create
// workload with request ids and retries, injects faults (kill -9, broker outage, database
// restart, issuer outage) and counts what is found afterwards. The scenarios F1-F9 are its
// tests; docs/RELIABILITY.md explains them, `make faults` runs their long form.
package faults

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Bins are the binaries under test.
type Bins struct {
	Appeals  string // built with -tags faultinject: the APPEALS_FAULT_* settings work
	Gateway  string
	Cityhall string // the dev issuer: cityhall issuer --addr
	NATS     string // nats-server
}

// builds are the binaries of one build: with or without the faultinject tag.
type builds struct {
	once sync.Once
	bins Bins
	dir  string
	err  error
}

var faultBuild, productionBuild builds

// Build builds the binaries, the appeals service with -tags faultinject, once per test binary
// (RemoveBinaries removes them).
func Build(t testing.TB) Bins {
	t.Helper()
	return faultBuild.get(t, "faultinject")
}

// BuildProduction builds the binaries as deployed (no fault injection), once per test binary.
func BuildProduction(t testing.TB) Bins {
	t.Helper()
	return productionBuild.get(t, "")
}

func (b *builds) get(t testing.TB, tags string) Bins {
	t.Helper()
	b.once.Do(func() { b.bins, b.dir, b.err = build(tags) })
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.bins
}

// RemoveBinaries deletes what Build and BuildProduction made; TestMain calls it last.
func RemoveBinaries() {
	for _, b := range []*builds{&faultBuild, &productionBuild} {
		if b.dir != "" {
			_ = os.RemoveAll(b.dir)
		}
	}
}

func build(tags string) (Bins, string, error) {
	out, err := exec.Command("go", "env", "GOWORK").Output()
	root := filepath.Dir(strings.TrimSpace(string(out)))
	if err != nil || !filepath.IsAbs(root) {
		return Bins{}, "", fmt.Errorf("faults: no go.work above the working directory (%v)", err)
	}
	binDir, err := os.MkdirTemp("", "cityhall-faults-bin-")
	if err != nil {
		return Bins{}, "", err
	}
	b := Bins{
		Appeals: filepath.Join(binDir, "appeals"), Gateway: filepath.Join(binDir, "gateway"),
		Cityhall: filepath.Join(binDir, "cityhall"), NATS: filepath.Join(binDir, "nats-server"),
	}
	// nats-server from the module the services embed (Debian's 2.9 lacks consumers with several
	// filter subjects); FAULTS_NATS_SERVER names another binary. One build, so the links run in
	// parallel, without symbols, so they are quick; the tag only matters to the appeals binary.
	args := []string{"build", "-tags", tags, "-ldflags", "-s -w", "-o", binDir + "/",
		"./services/appeals/cmd/appeals", "./gateway/cmd/gateway", "./cmd/cityhall"}
	if p := os.Getenv("FAULTS_NATS_SERVER"); p != "" {
		b.NATS = p
	} else {
		args = append(args, "github.com/nats-io/nats-server/v2")
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return b, binDir, fmt.Errorf("faults: go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return b, binDir, nil
}

// Proc is one child process that a test starts, kills and starts again. Its output goes to
// <dir>/<name>.<n>.log, one file per start.
type Proc struct {
	Name string
	path string
	args []string
	env  []string
	dir  string

	mu     sync.Mutex
	cmd    *exec.Cmd
	done   chan struct{}
	state  *os.ProcessState
	starts int
}

// NewProc describes a process; env is added to the test's environment.
func NewProc(t testing.TB, dir, name, path string, args, env []string) *Proc {
	p := &Proc{Name: name, path: path, args: args, env: env, dir: dir}
	t.Cleanup(p.Stop)
	return p
}

// Start starts the process (it must not be running) with extra environment variables.
func (p *Proc) Start(t testing.TB, extraEnv ...string) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil && p.state == nil {
		t.Fatalf("%s: started while running", p.Name)
	}
	p.starts++
	log, err := os.Create(filepath.Join(p.dir, fmt.Sprintf("%s.%d.log", p.Name, p.starts)))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(p.path, p.args...)
	cmd.Env = append(append(baseEnv(), p.env...), extraEnv...)
	cmd.Stdout, cmd.Stderr = log, log
	// Its own process group (a Ctrl-C meant for the test stays there) and killed with the test.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		log.Close()
		t.Fatalf("%s: %v", p.Name, err)
	}
	done := make(chan struct{})
	p.cmd, p.done, p.state = cmd, done, nil
	go func() {
		_ = cmd.Wait()
		log.Close()
		p.mu.Lock()
		p.state = cmd.ProcessState
		p.mu.Unlock()
		close(done)
	}()
}

// Kill sends SIGKILL and waits until the process is gone.
func (p *Proc) Kill() { p.signal(syscall.SIGKILL, 10*time.Second) }

// Stop sends SIGTERM, waits up to 15 s for a clean exit, then kills.
func (p *Proc) Stop() {
	if !p.signal(syscall.SIGTERM, 15*time.Second) {
		p.Kill()
	}
}

// signal signals a running process and reports whether it exited within wait.
func (p *Proc) signal(sig syscall.Signal, wait time.Duration) bool {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return true
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
		return true
	case <-time.After(wait):
		return false
	}
}

// PID is the process id of the running process, 0 when it is not running.
func (p *Proc) PID() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil || p.state != nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// Running tells whether the process was started and has not exited.
func (p *Proc) Running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cmd != nil && p.state == nil
}

// WaitExit waits up to timeout for the process to exit by itself and returns its exit code
// (-1 when killed by a signal).
func (p *Proc) WaitExit(timeout time.Duration) (int, error) {
	p.mu.Lock()
	done := p.done
	p.mu.Unlock()
	if done == nil {
		return 0, errors.New(p.Name + " was never started")
	}
	select {
	case <-done:
	case <-time.After(timeout):
		return 0, fmt.Errorf("%s still running after %s", p.Name, timeout)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state.ExitCode(), nil
}

// Starts is how many times the process was started.
func (p *Proc) Starts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.starts
}

// LogTail is the end of the latest log, for failure messages.
func (p *Proc) LogTail() string {
	p.mu.Lock()
	n := p.starts
	p.mu.Unlock()
	b, _ := os.ReadFile(filepath.Join(p.dir, fmt.Sprintf("%s.%d.log", p.Name, n)))
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return string(b)
}

// baseEnv is the test's environment without the settings of the services under test, so a
// developer's shell cannot change what the scenarios run.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		switch {
		case strings.HasPrefix(kv, "APPEALS_"), strings.HasPrefix(kv, "PLANNING_"), strings.HasPrefix(kv, "GATEWAY_"),
			strings.HasPrefix(kv, "OTEL_"), strings.HasPrefix(kv, "DATABASE_URL="):
		default:
			env = append(env, kv)
		}
	}
	return env
}
