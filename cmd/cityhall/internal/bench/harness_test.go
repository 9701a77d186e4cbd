package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jhump/protoreflect/desc"
	"github.com/jhump/protoreflect/dynamic"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
)

// The instrument's own parts, quickly (the whole run is `make bench`).

// ghz reads a length-delimited CreateAppealRequest from the protoset back as the request sent.
func TestGRPCPayloadRoundTrips(t *testing.T) {
	raw, err := protoset()
	if err != nil {
		t.Fatal(err)
	}
	var set descriptorpb.FileDescriptorSet
	if err := proto.Unmarshal(raw, &set); err != nil {
		t.Fatal(err)
	}
	files, err := desc.CreateFileDescriptorsFromSet(&set)
	if err != nil {
		t.Fatal(err)
	}
	svc := files["cityhall/appeals/v1/appeals.proto"].FindService("cityhall.appeals.v1.AppealService")
	mtd := svc.FindMethodByName("CreateAppeal")
	if mtd == nil {
		t.Fatal("no CreateAppeal in the protoset")
	}
	want := newCreate(7)
	b, _ := proto.Marshal(want)
	framed := append(protowire.AppendVarint(nil, uint64(len(b))), b...)
	n, size := protowire.ConsumeVarint(framed)
	if size <= 0 || int(n) != len(b) {
		t.Fatalf("frame: length %d (%d bytes), want %d", n, size, len(b))
	}
	msg := dynamic.NewMessage(mtd.GetInputType())
	if err := msg.Unmarshal(framed[size:]); err != nil {
		t.Fatal(err)
	}
	again, _ := msg.Marshal()
	var got appealsv1.CreateAppealRequest
	if err := proto.Unmarshal(again, &got); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(&got, want) {
		t.Fatalf("ghz would send %v, want %v", &got, want)
	}
}

func TestPgbenchLogsGiveLatencies(t *testing.T) {
	dir := t.TempDir()
	log := "0 1 1500 0 1700000000 100\n0 2 2500 0 1700000000 200\n1 1 failed 0 1700000000 300\n"
	if err := os.WriteFile(filepath.Join(dir, "tx.123"), []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	lat, failed, err := readPgbenchLogs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(lat) != 2 || failed != 1 || lat[0] != 1500*time.Microsecond {
		t.Fatalf("latencies %v, failed %d", lat, failed)
	}
}

func TestReportShowsRatiosAndGoals(t *testing.T) {
	base := Result{Name: ScBaseline, Clients: 32, Requests: 3000, Elapsed: time.Second, P50: 8 * time.Millisecond, P99: 20 * time.Millisecond}
	r := &Report{Settings: Settings{Clients: []int{32}, Duration: time.Second}, Results: []Result{
		base,
		{Name: ScRESTCreate, Clients: 32, Requests: 1800, Elapsed: time.Second, P50: 10 * time.Millisecond, P99: 24 * time.Millisecond, Baseline: &base},
		{Name: ScGRPCCreate, Clients: 32, Requests: 1500, Elapsed: time.Second, Baseline: &base},
		{Name: ScCommitLag, Clients: 32, Requests: 1800, Latency: true, P99: 60 * time.Millisecond},
	}, Memory: []Memory{{Process: "appeals api", Idle: 40 << 20, Max: 50 << 20}}}
	r.Evaluate()
	md := r.Markdown()
	for _, want := range []string{
		"| create appeal, REST | 32 | 1800 | 10.0 | 24.0 | 0.60 | 0 |",
		"| REST create, 32 clients | ≥ 0.5× baseline, p99 ≤ 25 ms | 0.60×, p99 24.0 ms | yes |",
		"| gRPC create, 32 clients | ≥ 0.7× baseline | 0.50× | no |",
		"| REST get | ≥ 10,000 requests/s | not run | not run |",
		"p99 60.0 ms",
		"| idle resident memory: appeals api | ≤ 60 MB | 40.0 MB | yes |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}

func TestSettingsRejectNonsense(t *testing.T) {
	t.Setenv("BENCH_CLIENTS", "32,x")
	t.Setenv("BENCH_DURATION", "fast")
	if _, err := FromEnv(); err == nil || !strings.Contains(err.Error(), "BENCH_CLIENTS") || !strings.Contains(err.Error(), "BENCH_DURATION") {
		t.Fatalf("err = %v", err)
	}
}
