package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
)

// CommitLag listens on the APPEALS stream like a consumer of AppealRegistered and records,
// for every event, the time from the appeal's register_time (taken in the registering
// transaction, just before its commit) to the event's arrival here.
type CommitLag struct {
	mu      sync.Mutex
	samples []lagSample
	stop    func()
}

type lagSample struct {
	at  time.Time
	lag time.Duration
}

// WatchCommitLag starts an ordered consumer of new AppealRegistered events on conn.
func WatchCommitLag(ctx context.Context, conn *natsx.Conn) (*CommitLag, error) {
	c, err := conn.JS.OrderedConsumer(ctx, "APPEALS", jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{natsx.Subject("appeals", "appeal_registered")},
		DeliverPolicy:  jetstream.DeliverNewPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("bench: consumer on APPEALS: %w", err)
	}
	l := &CommitLag{}
	cc, err := c.Consume(func(m jetstream.Msg) {
		now := time.Now()
		var ev appealsv1.AppealRegistered
		if proto.Unmarshal(m.Data(), &ev) != nil || ev.GetRegisterTime() == nil {
			return
		}
		l.mu.Lock()
		l.samples = append(l.samples, lagSample{now, now.Sub(ev.GetRegisterTime().AsTime())})
		l.mu.Unlock()
	})
	if err != nil {
		return nil, err
	}
	l.stop = cc.Stop
	return l, nil
}

// Stop ends the consumer.
func (l *CommitLag) Stop() { l.stop() }

// Between is the lag of the events that arrived in [from, to) as a latency-only result.
func (l *CommitLag) Between(from, to time.Time, during string, clients int) Result {
	l.mu.Lock()
	var lat []time.Duration
	for _, s := range l.samples {
		if !s.at.Before(from) && s.at.Before(to) {
			lat = append(lat, s.lag)
		}
	}
	l.mu.Unlock()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return Result{Name: ScCommitLag, Clients: clients, Requests: len(lat), Latency: true,
		P50: percentile(lat, 0.5), P99: percentile(lat, 0.99), Note: fmt.Sprintf("under %s; %d events", during, len(lat))}
}

// rss reads VmRSS of a process from /proc, in bytes (0 when it is gone).
func rss(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest) // "12345 kB"
			if len(f) >= 1 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}

// Proc is a process whose memory the run watches.
type Proc struct {
	Name string
	PID  func() int
}

// MemoryWatch samples the resident memory of processes.
type MemoryWatch struct {
	procs []Proc
	mu    sync.Mutex
	mem   map[string]*Memory
	stop  chan struct{}
	done  chan struct{}
}

// NewMemoryWatch records each process's idle resident memory now.
func NewMemoryWatch(procs []Proc) *MemoryWatch {
	w := &MemoryWatch{procs: procs, mem: map[string]*Memory{}}
	for _, p := range procs {
		r := rss(p.PID())
		w.mem[p.Name] = &Memory{Process: p.Name, Idle: r, Max: r}
	}
	return w
}

// Start samples every 250 ms until Stop, keeping each process's maximum.
func (w *MemoryWatch) Start() {
	w.stop, w.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(w.done)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-tick.C:
			}
			w.mu.Lock()
			for _, p := range w.procs {
				m := w.mem[p.Name]
				m.Max = max(m.Max, rss(p.PID()))
			}
			w.mu.Unlock()
		}
	}()
}

// Stop ends the sampling and returns the memory of each process, in the order given.
func (w *MemoryWatch) Stop() []Memory {
	if w.stop != nil {
		close(w.stop)
		<-w.done
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]Memory, 0, len(w.procs))
	for _, p := range w.procs {
		out = append(out, *w.mem[p.Name])
	}
	return out
}

// machine describes the computer and the PostgreSQL server for the report.
func machine(pgVersion, pgSettings string) string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	memTotal := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if l, _, ok := strings.Cut(string(b), "\n"); ok {
			f := strings.Fields(l)
			if len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				memTotal = fmt.Sprintf(", %.0f GiB memory", float64(kb)/(1<<20))
			}
		}
	}
	return fmt.Sprintf("Machine: %d cores (%s)%s, %s/%s, %s. PostgreSQL: %s (%s). Load generator, services, gateway, nats-server and PostgreSQL share these cores.",
		runtime.NumCPU(), model, memTotal, runtime.GOOS, runtime.GOARCH, runtime.Version(), pgVersion, pgSettings)
}
