package bench

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bojand/ghz/runner"
	"github.com/google/uuid"
	"github.com/jhump/protoreflect/desc"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
)

// Appeal texts vary in length like real ones; the classifier code is the most common topic
// (heating), in the clerk's own district.
var texts = []string{
	"В квартире холодные батареи, управляющая компания не отвечает на звонки.",
	"Прошу принять меры: во дворе дома третью неделю не вывозят мусор, контейнеры переполнены, жители жалуются на запах.",
	"Прошу проверить качество отопления в подъезде: температура в квартирах ниже нормы с начала отопительного сезона, заявки в управляющую компанию остаются без ответа, жильцы вынуждены пользоваться обогревателями.",
}

// newCreate is one CreateAppeal request: a new request_id, so every call registers an appeal.
func newCreate(n int64) *appealsv1.CreateAppealRequest {
	return &appealsv1.CreateAppealRequest{
		RequestId: uuid.NewString(),
		Appeal: &appealsv1.Appeal{
			Channel: appealsv1.Channel_CHANNEL_ELECTRONIC, Text: texts[n%int64(len(texts))],
			ClassifierCodes: []string{"0005.0005.0056.1149"}, District: "ZHD",
		},
		Applicant: &appealsv1.Applicant{
			FullName:      fmt.Sprintf("Нагрузочный Тест %06d", n%1_000_000),
			PostalAddress: fmt.Sprintf("680000, г. Хабаровск, ул. Ленина, д. %d, кв. %d", 1+n%90, 1+n%200),
		},
	}
}

// protoset is the appeals API's file descriptor set with every import, for ghz.
func protoset() ([]byte, error) {
	set := &descriptorpb.FileDescriptorSet{}
	seen := map[string]bool{}
	var add func(fd protoreflect.FileDescriptor)
	add = func(fd protoreflect.FileDescriptor) {
		if seen[fd.Path()] {
			return
		}
		seen[fd.Path()] = true
		imports := fd.Imports()
		for i := range imports.Len() {
			add(imports.Get(i).FileDescriptor)
		}
		set.File = append(set.File, protodesc.ToFileDescriptorProto(fd))
	}
	add(appealsv1.File_cityhall_appeals_v1_appeals_proto)
	return proto.Marshal(set)
}

// GRPCCreate runs CreateAppeal with ghz at clients concurrent callers on one connection (as
// the gateway calls) for d, each call a new appeal, as the holder of token.
func GRPCCreate(addr, token string, clients int, d time.Duration) (Result, error) {
	res := Result{Name: ScGRPCCreate, Clients: clients}
	set, err := protoset()
	if err != nil {
		return res, err
	}
	var n atomic.Int64
	report, err := runner.Run("cityhall.appeals.v1.AppealService.CreateAppeal", addr,
		runner.WithProtosetBinary(set),
		runner.WithInsecure(true),
		runner.WithConcurrency(uint(clients)),
		runner.WithConnections(1),
		runner.WithRunDuration(d),
		runner.WithTotalRequests(uint(max(1, d.Seconds())*100_000)), // a bound: never reached on this machine
		runner.WithTimeout(10*time.Second),
		runner.WithMetadata(map[string]string{"authorization": "Bearer " + token}),
		// ghz reads binary data as length-delimited messages first.
		runner.WithBinaryDataFunc(func(*desc.MethodDescriptor, *runner.CallData) []byte {
			b, _ := proto.Marshal(newCreate(n.Add(1)))
			return append(protowire.AppendVarint(nil, uint64(len(b))), b...)
		}),
		runner.WithDurationStopAction("wait"), // calls under way at the end are answered and counted
	)
	if err != nil {
		return res, fmt.Errorf("bench: ghz: %w", err)
	}
	res.Elapsed = report.Total
	res.Requests = report.StatusCodeDist["OK"]
	res.Errors = int(report.Count) - res.Requests
	for _, l := range report.LatencyDistribution {
		switch l.Percentage {
		case 50:
			res.P50 = l.Latency
		case 99:
			res.P99 = l.Latency
		}
	}
	if len(report.ErrorDist) > 0 {
		res.Note = "errors: " + topErrors(report.ErrorDist)
	}
	return res, nil
}

// HTTPTarget makes the next request of a scenario.
type HTTPTarget func(n int64, t *vegeta.Target)

// HTTPLoad runs vegeta with clients workers in a closed loop (no pacing: each worker sends
// its next request when the last one is answered) for d, over as many keep-alive
// connections, and measures every answer: 200 counts, anything else is an error.
func HTTPLoad(name string, clients int, d time.Duration, target HTTPTarget) Result {
	res := Result{Name: name, Clients: clients}
	var n atomic.Int64
	targeter := func(t *vegeta.Target) error {
		target(n.Add(1), t)
		return nil
	}
	attacker := vegeta.NewAttacker(
		vegeta.Workers(uint64(clients)), vegeta.MaxWorkers(uint64(clients)),
		vegeta.Connections(clients), vegeta.MaxConnections(clients), vegeta.KeepAlive(true),
		vegeta.Timeout(10*time.Second), vegeta.Redirects(vegeta.NoFollow),
	)
	var lat []time.Duration
	errs := map[string]int{}
	began := time.Now()
	var last time.Time
	for r := range attacker.Attack(targeter, vegeta.ConstantPacer{}, d, name) {
		if end := r.Timestamp.Add(r.Latency); end.After(last) {
			last = end
		}
		if r.Code == http.StatusOK && r.Error == "" {
			lat = append(lat, r.Latency)
			continue
		}
		key := fmt.Sprintf("HTTP %d", r.Code)
		if r.Error != "" && r.Code == 0 {
			key = r.Error
		} else if len(r.Body) > 0 {
			key += " " + strings.TrimSpace(string(r.Body[:min(len(r.Body), 160)]))
		}
		errs[key]++
		res.Errors++
	}
	res.Elapsed = last.Sub(began)
	if res.Elapsed <= 0 {
		res.Elapsed = time.Since(began)
	}
	res.Requests = len(lat)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	res.P50, res.P99 = percentile(lat, 0.50), percentile(lat, 0.99)
	if len(errs) > 0 {
		res.Note = "errors: " + topErrors(errs)
	}
	return res
}

// topErrors names the most frequent failures, for the table's note.
func topErrors(m map[string]int) string {
	type kv struct {
		k string
		v int
	}
	var all []kv
	for k, v := range m {
		all = append(all, kv{k, v})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v > all[j].v })
	var parts []string
	for _, x := range all[:min(len(all), 2)] {
		k := strings.ReplaceAll(x.k, "|", "/")
		if len(k) > 120 {
			k = k[:120] + "…"
		}
		parts = append(parts, fmt.Sprintf("%d× %s", x.v, k))
	}
	return strings.Join(parts, "; ")
}
