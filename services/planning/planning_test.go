package planning_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	planningv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/planning/v1"
	"github.com/cityhall-khv/cityhall/services/planning/internal/service"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/svc/svctest"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

// Seeded: 5 districts, 16 departments of shared/data + 8 demo ones, 6 demo officials.
const (
	seededDistricts   = 5
	seededDepartments = 24
	seededOfficials   = 6
)

// harness is one planning service on a fresh database, an embedded NATS and a test issuer.
type harness struct {
	*svctest.Service
	client planningv1.DirectoryServiceClient
	js     jetstream.JetStream
}

func start(t *testing.T) *harness {
	t.Helper()
	s := svctest.StartService(t, service.Spec, nil)
	h := &harness{Service: s, client: planningv1.NewDirectoryServiceClient(s.Conn), js: s.NATS.Connect(t).JS}
	h.WaitPublished(t)
	return h
}

func (h *harness) outboxRows(t *testing.T) int {
	var n int
	if err := h.Pool.QueryRow(context.Background(), "SELECT count(*) FROM outbox").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (h *harness) as(t *testing.T, login string) context.Context { return h.As(t, login) }

// watcher reads the events published on one subject from now on.
type watcher struct {
	t    *testing.T
	cons jetstream.Consumer
}

func (h *harness) watch(t *testing.T, subject string) *watcher {
	t.Helper()
	stream, err := h.js.Stream(context.Background(), directory.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// An ordered consumer is made at its first Next; a start sequence (not "new") makes it see
	// what is published from here on, however late that is.
	cons, err := stream.OrderedConsumer(context.Background(), jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{subject}, DeliverPolicy: jetstream.DeliverByStartSequencePolicy,
		OptStartSeq: info.State.LastSeq + 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &watcher{t: t, cons: cons}
}

// next decodes the next event into e.
func (w *watcher) next(e proto.Message) {
	w.t.Helper()
	msg, err := w.cons.Next(jetstream.FetchMaxWait(10 * time.Second))
	if err != nil {
		w.t.Fatalf("no event: %v", err)
	}
	if err := proto.Unmarshal(msg.Data(), e); err != nil {
		w.t.Fatal(err)
	}
}

// none checks that no further event comes.
func (w *watcher) none() {
	w.t.Helper()
	if msg, err := w.cons.Next(jetstream.FetchMaxWait(300 * time.Millisecond)); err == nil {
		w.t.Fatalf("unexpected event on %s", msg.Subject())
	}
}

func TestSeededDirectoryIsReadableByEveryone(t *testing.T) {
	h := start(t)
	ctx := h.as(t, "clerk.zhd")

	districts, err := h.client.ListDistricts(ctx, &planningv1.ListDistrictsRequest{})
	if err != nil || len(districts.GetDistricts()) != seededDistricts {
		t.Fatalf("districts: %d (%v)", len(districts.GetDistricts()), err)
	}
	deps, err := h.client.ListDepartments(ctx, &planningv1.ListDepartmentsRequest{})
	if err != nil || len(deps.GetDepartments()) != seededDepartments || deps.GetNextPageToken() != "" {
		t.Fatalf("departments: %d (%v)", len(deps.GetDepartments()), err)
	}
	demo := 0
	for _, d := range deps.GetDepartments() {
		if d.GetDemo() {
			demo++
		}
		if d.GetCurator() == "" || !d.GetActive() || d.GetEtag() != "1" {
			t.Errorf("%s: curator %q active %v etag %q", d.GetCode(), d.GetCurator(), d.GetActive(), d.GetEtag())
		}
	}
	if demo != seededDepartments-16 {
		t.Errorf("%d demo departments", demo)
	}
	officials, err := h.client.ListOfficials(ctx, &planningv1.ListOfficialsRequest{})
	if err != nil || len(officials.GetOfficials()) != seededOfficials {
		t.Fatalf("officials: %d (%v)", len(officials.GetOfficials()), err)
	}

	// Curatorship reads the same from both sides.
	ut, err := h.client.GetDepartment(ctx, &planningv1.GetDepartmentRequest{Name: "departments/UT"})
	if err != nil {
		t.Fatal(err)
	}
	curator, err := h.client.GetOfficial(ctx, &planningv1.GetOfficialRequest{Name: ut.GetCurator()})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(curator.GetCuratedDepartments(), "UT") || !curator.GetDemo() {
		t.Fatalf("UT's curator %s curates %v", curator.GetFullName(), curator.GetCuratedDepartments())
	}
	for filter, want := range map[string]int{
		`district = "ZHD"`:                       1,
		`kind = "комитет"`:                       5,
		`curator = "` + ut.GetCurator() + `"`:    len(curator.GetCuratedDepartments()),
		`kind = "управление" AND district = ZHD`: 0,
		`active = true`:                          seededDepartments,
	} {
		resp, err := h.client.ListDepartments(ctx, &planningv1.ListDepartmentsRequest{Filter: filter})
		if err != nil || len(resp.GetDepartments()) != want {
			t.Errorf("%s: %d departments, want %d (%v)", filter, len(resp.GetDepartments()), want, err)
		}
	}
	resp, err := h.client.ListOfficials(ctx, &planningv1.ListOfficialsRequest{Filter: `curates = "KUR-ZHD"`})
	if err != nil || len(resp.GetOfficials()) != 1 || resp.GetOfficials()[0].GetName() != curator.GetName() {
		t.Errorf("curates KUR-ZHD: %v (%v)", resp.GetOfficials(), err)
	}

	// Small pages cover everything once, in order.
	var paged []string
	token := ""
	for range seededDepartments {
		page, err := h.client.ListDepartments(ctx, &planningv1.ListDepartmentsRequest{PageSize: 5, PageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range page.GetDepartments() {
			paged = append(paged, d.GetCode())
		}
		if token = page.GetNextPageToken(); token == "" {
			break
		}
	}
	if len(paged) != seededDepartments || !slices.IsSorted(paged) {
		t.Fatalf("paged codes %v", paged)
	}
	var names []string
	token = ""
	for range seededOfficials {
		page, err := h.client.ListOfficials(ctx, &planningv1.ListOfficialsRequest{PageSize: 4, PageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.GetOfficials() {
			names = append(names, o.GetName())
		}
		if token = page.GetNextPageToken(); token == "" {
			break
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(names)))) != seededOfficials {
		t.Fatalf("paged officials %v", names)
	}
	_, err = h.client.ListDepartments(ctx, &planningv1.ListDepartmentsRequest{PageToken: token + "x", Filter: `kind = "отдел"`})
	testkit.ExpectViolation(t, err, "page_token")
	_, err = h.client.ListDepartments(ctx, &planningv1.ListDepartmentsRequest{Filter: "colour = red"})
	testkit.ExpectViolation(t, err, "filter")

	// Every seeded entity went out as an event: the stream holds the current directory.
	info, err := h.js.Stream(context.Background(), directory.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	si, err := info.Info(context.Background(), jetstream.WithSubjectFilter(">"))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(si.State.Subjects); n != seededDistricts+seededDepartments+seededOfficials {
		t.Fatalf("%d subjects in %s", n, directory.StreamName)
	}

	if _, err := h.client.ListDistricts(context.Background(), &planningv1.ListDistrictsRequest{}); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("no token: %v", err)
	}
}

func TestOnlyAdminsChangeTheDirectory(t *testing.T) {
	h := start(t)
	before := h.outboxRows(t)
	for _, login := range []string{"clerk.zhd", "head.zhd", "curator", "mayor", "integrator"} {
		ctx := h.as(t, login)
		calls := map[string]error{}
		_, calls["create district"] = h.client.CreateDistrict(ctx, &planningv1.CreateDistrictRequest{District: &planningv1.District{Code: "NEW", DisplayName: "Новый"}})
		_, calls["create department"] = h.client.CreateDepartment(ctx, &planningv1.CreateDepartmentRequest{Department: &planningv1.Department{Code: "UNEW", DisplayName: "Новое управление"}})
		_, calls["update department"] = h.client.UpdateDepartment(ctx, &planningv1.UpdateDepartmentRequest{
			Department: &planningv1.Department{Name: "departments/UT", DisplayName: "x"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name"}}})
		_, calls["deactivate department"] = h.client.DeactivateDepartment(ctx, &planningv1.DeactivateDepartmentRequest{Name: "departments/UT"})
		_, calls["create official"] = h.client.CreateOfficial(ctx, &planningv1.CreateOfficialRequest{Official: &planningv1.Official{FullName: "x", Position: "y"}})
		for call, err := range calls {
			if status.Code(err) != codes.PermissionDenied || testkit.Reason(err) != "NOT_ADMIN" {
				t.Errorf("%s: %s: %v", login, call, err)
			}
		}
	}
	if after := h.outboxRows(t); after != before {
		t.Fatalf("refused calls wrote %d events", after-before)
	}
}

func TestAdminChangesADepartmentOneEventPerChange(t *testing.T) {
	h := start(t)
	ctx := h.as(t, "admin")
	ut, err := h.client.GetDepartment(ctx, &planningv1.GetDepartmentRequest{Name: "departments/UT"})
	if err != nil {
		t.Fatal(err)
	}
	curator, err := h.client.GetOfficial(ctx, &planningv1.GetOfficialRequest{Name: ut.GetCurator()})
	if err != nil {
		t.Fatal(err)
	}
	dep := h.watch(t, directory.DepartmentSubject("UGS"))
	off := h.watch(t, directory.OfficialSubject(curator.GetName()[len("officials/"):]))
	var de planningv1.DepartmentChanged
	var oe planningv1.OfficialChanged

	created, err := h.client.CreateDepartment(ctx, &planningv1.CreateDepartmentRequest{Department: &planningv1.Department{
		Code: "UGS", DisplayName: "Управление городской среды", Kind: "управление", Parent: "UZHKH", Curator: curator.GetName(),
	}, RequestId: uuid.NewString()})
	if err != nil {
		t.Fatal(err)
	}
	if created.GetEtag() != "1" || !created.GetActive() || created.GetDemo() || created.GetName() != "departments/UGS" {
		t.Fatalf("created %v", created)
	}
	dep.next(&de)
	if de.GetVersion() != 1 || !proto.Equal(de.GetDepartment(), created) {
		t.Fatalf("created event %v", &de)
	}
	off.next(&oe) // the curator's list grew
	if !slices.Contains(oe.GetOfficial().GetCuratedDepartments(), "UGS") || oe.GetVersion() != 2 {
		t.Fatalf("curator event %v", &oe)
	}

	renamed, err := h.client.UpdateDepartment(ctx, &planningv1.UpdateDepartmentRequest{
		Department: &planningv1.Department{Name: "departments/UGS", DisplayName: "Управление городской среды и благоустройства", Etag: "1"},
		// As the REST gateway makes it from a body: name, etag and output-only fields are ignored.
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"name", "display_name", "etag", "active", "update_time"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if renamed.GetEtag() != "2" || renamed.GetKind() != "управление" || renamed.GetCurator() != curator.GetName() {
		t.Fatalf("renamed %v", renamed)
	}
	dep.next(&de)
	if de.GetVersion() != 2 || de.GetDepartment().GetDisplayName() != renamed.GetDisplayName() {
		t.Fatalf("rename event %v", &de)
	}

	_, err = h.client.UpdateDepartment(ctx, &planningv1.UpdateDepartmentRequest{
		Department: &planningv1.Department{Name: "departments/UGS", DisplayName: "Устаревшее имя", Etag: "1"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name"}},
	})
	if status.Code(err) != codes.Aborted || testkit.Reason(err) != "ETAG_MISMATCH" {
		t.Fatalf("stale etag: %v", err)
	}

	deactivated, err := h.client.DeactivateDepartment(ctx, &planningv1.DeactivateDepartmentRequest{Name: "departments/UGS", Etag: "2"})
	if err != nil || deactivated.GetActive() || deactivated.GetEtag() != "3" {
		t.Fatalf("deactivate: %v (%v)", deactivated, err)
	}
	dep.next(&de)
	if de.GetVersion() != 3 || de.GetDepartment().GetActive() {
		t.Fatalf("deactivate event %v", &de)
	}
	again, err := h.client.DeactivateDepartment(ctx, &planningv1.DeactivateDepartmentRequest{Name: "departments/UGS"})
	if err != nil || !proto.Equal(again, deactivated) {
		t.Fatalf("deactivating twice: %v (%v)", again, err)
	}
	// A deactivated department keeps its history: it is still readable, but hidden from pickers.
	list, err := h.client.ListDepartments(ctx, &planningv1.ListDepartmentsRequest{Filter: `kind = "управление"`})
	if err != nil || slices.ContainsFunc(list.GetDepartments(), func(d *planningv1.Department) bool { return d.GetCode() == "UGS" }) {
		t.Fatalf("deactivated department listed (%v)", err)
	}
	list, err = h.client.ListDepartments(ctx, &planningv1.ListDepartmentsRequest{Filter: `active = false`, ShowDeactivated: true})
	if err != nil || len(list.GetDepartments()) != 1 {
		t.Fatalf("show_deactivated: %v (%v)", list.GetDepartments(), err)
	}
	activated, err := h.client.ActivateDepartment(ctx, &planningv1.ActivateDepartmentRequest{Name: "departments/UGS"})
	if err != nil || !activated.GetActive() || activated.GetEtag() != "4" {
		t.Fatalf("activate: %v (%v)", activated, err)
	}
	dep.next(&de)
	if de.GetVersion() != 4 || !de.GetDepartment().GetActive() {
		t.Fatalf("activate event %v", &de)
	}
	dep.none()
	off.none()

	// Districts change the same way.
	dis := h.watch(t, directory.DistrictSubject("ZHD"))
	zhd, err := h.client.UpdateDistrict(ctx, &planningv1.UpdateDistrictRequest{District: &planningv1.District{Name: "districts/ZHD", DisplayName: "Железнодорожный район"}})
	if err != nil || zhd.GetEtag() != "2" {
		t.Fatalf("rename district: %v (%v)", zhd, err)
	}
	var ze planningv1.DistrictChanged
	dis.next(&ze)
	if ze.GetVersion() != 2 || ze.GetDistrict().GetDisplayName() != "Железнодорожный район" {
		t.Fatalf("district event %v", &ze)
	}
	dis.none()
}

func TestInvalidChangesNameTheField(t *testing.T) {
	h := start(t)
	ctx := h.as(t, "admin")
	dep := func(code, district, parent, curator string) *planningv1.CreateDepartmentRequest {
		return &planningv1.CreateDepartmentRequest{Department: &planningv1.Department{
			Code: code, DisplayName: "Отдел " + code, Kind: "отдел", District: district, Parent: parent, Curator: curator}}
	}
	for name, c := range map[string]struct {
		req   *planningv1.CreateDepartmentRequest
		field string
	}{
		"unknown district":     {dep("OX", "XXX", "", ""), "department.district"},
		"unknown parent":       {dep("OX", "", "NOPE", ""), "department.parent"},
		"own parent":           {dep("OX", "", "OX", ""), "department.parent"},
		"unknown curator":      {dep("OX", "", "", "officials/"+uuid.NewString()), "department.curator"},
		"malformed curator":    {dep("OX", "", "", "Иванов"), "department.curator"},
		"no code":              {dep("", "", "", ""), "department.code"},
		"lower-case code":      {dep("ox", "", "", ""), "department.code"},
		"malformed request_id": {&planningv1.CreateDepartmentRequest{Department: dep("OX", "", "", "").Department, RequestId: "1"}, "request_id"},
	} {
		_, err := h.client.CreateDepartment(ctx, c.req)
		t.Run(name, func(t *testing.T) { testkit.ExpectViolation(t, err, c.field) })
	}

	_, err := h.client.CreateDepartment(ctx, dep("UT", "", "", ""))
	if status.Code(err) != codes.AlreadyExists || testkit.Reason(err) != "ALREADY_EXISTS" {
		t.Fatalf("duplicate code: %v", err)
	}

	// A parent chain may not loop.
	if _, err := h.client.CreateDepartment(ctx, dep("OA", "", "", "")); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.CreateDepartment(ctx, dep("OB", "", "OA", "")); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.UpdateDepartment(ctx, &planningv1.UpdateDepartmentRequest{
		Department: &planningv1.Department{Name: "departments/OA", DisplayName: "x", Parent: "OB"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"parent"}},
	})
	testkit.ExpectViolation(t, err, "department.parent")

	_, err = h.client.UpdateDepartment(ctx, &planningv1.UpdateDepartmentRequest{
		Department: &planningv1.Department{Name: "departments/OA", DisplayName: "x"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name", "colour"}},
	})
	testkit.ExpectViolation(t, err, "update_mask")
	_, err = h.client.UpdateDepartment(ctx, &planningv1.UpdateDepartmentRequest{
		Department: &planningv1.Department{Name: "departments/OA", Code: "OC", DisplayName: "x"},
	})
	testkit.ExpectViolation(t, err, "department.code")
	_, err = h.client.UpdateDepartment(ctx, &planningv1.UpdateDepartmentRequest{
		Department: &planningv1.Department{Name: "departments/NOPE", DisplayName: "x"},
	})
	if status.Code(err) != codes.NotFound {
		t.Fatalf("missing department: %v", err)
	}
	_, err = h.client.DeactivateDepartment(ctx, &planningv1.DeactivateDepartmentRequest{Name: "departments/NOPE"})
	if status.Code(err) != codes.NotFound {
		t.Fatalf("deactivating a missing department: %v", err)
	}

	// A retry with the same request_id creates once; another body with it is refused.
	req := dep("OD", "CEN", "", "")
	req.RequestId = uuid.NewString()
	first, err := h.client.CreateDepartment(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	retry, err := h.client.CreateDepartment(ctx, req)
	if err != nil || !proto.Equal(first, retry) {
		t.Fatalf("retry: %v (%v)", retry, err)
	}
	req.Department.DisplayName = "Другое"
	if _, err := h.client.CreateDepartment(ctx, req); status.Code(err) != codes.AlreadyExists || testkit.Reason(err) != "REQUEST_ID_REUSED" {
		t.Fatalf("reused request_id: %v", err)
	}
}

func TestDeactivatedDepartmentRefusesNewAssignments(t *testing.T) {
	h := start(t)
	ctx := h.as(t, "admin")
	if _, err := h.client.DeactivateDepartment(ctx, &planningv1.DeactivateDepartmentRequest{Name: "departments/UK"}); err != nil {
		t.Fatal(err)
	}
	_, err := h.client.CreateOfficial(ctx, &planningv1.CreateOfficialRequest{Official: &planningv1.Official{
		FullName: "Петров Пётр Петрович", Position: "Начальник управления", Department: "UK"}})
	testkit.ExpectViolation(t, err, "official.department")
	_, err = h.client.CreateOfficial(ctx, &planningv1.CreateOfficialRequest{Official: &planningv1.Official{
		FullName: "Петров Пётр Петрович", Position: "Заместитель мэра", CuratedDepartments: []string{"UO", "UK"}}})
	testkit.ExpectViolation(t, err, "official.curated_departments[1]")
	_, err = h.client.CreateDepartment(ctx, &planningv1.CreateDepartmentRequest{Department: &planningv1.Department{
		Code: "UKM", DisplayName: "Отдел музеев", Parent: "UK"}})
	testkit.ExpectViolation(t, err, "department.parent")

	// What it already has stays: its curator is still its curator and may be edited.
	uk, err := h.client.GetDepartment(ctx, &planningv1.GetDepartmentRequest{Name: "departments/UK"})
	if err != nil || uk.GetActive() || uk.GetCurator() == "" {
		t.Fatalf("deactivated UK: %v (%v)", uk, err)
	}
	social, err := h.client.GetOfficial(ctx, &planningv1.GetOfficialRequest{Name: uk.GetCurator()})
	if err != nil {
		t.Fatal(err)
	}
	// full_name goes along only because the proto requires it on every Official message.
	social, err = h.client.UpdateOfficial(ctx, &planningv1.UpdateOfficialRequest{
		Official:   &planningv1.Official{Name: uk.GetCurator(), FullName: social.GetFullName(), Position: "Заместитель мэра города по социальной политике"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"position"}},
	})
	if err != nil || !slices.Contains(social.GetCuratedDepartments(), "UK") {
		t.Fatalf("editing UK's curator: %v (%v)", social, err)
	}

	// A new official taking over departments moves their curatorship, on both sides.
	newcomer, err := h.client.CreateOfficial(ctx, &planningv1.CreateOfficialRequest{Official: &planningv1.Official{
		FullName: "Петров Пётр Петрович", Position: "Заместитель мэра города по делам молодёжи",
		CuratedDepartments: []string{"UMP", "USPORT"}, PlanAreas: []string{"молодёжная политика"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !newcomer.GetActive() || !slices.Equal(newcomer.GetCuratedDepartments(), []string{"UMP", "USPORT"}) {
		t.Fatalf("newcomer %v", newcomer)
	}
	social2, err := h.client.GetOfficial(ctx, &planningv1.GetOfficialRequest{Name: social.GetName()})
	if err != nil || slices.Contains(social2.GetCuratedDepartments(), "UMP") || social2.GetEtag() == social.GetEtag() {
		t.Fatalf("previous curator still curates UMP: %v (%v)", social2, err)
	}
	ump, err := h.client.GetDepartment(ctx, &planningv1.GetDepartmentRequest{Name: "departments/UMP"})
	if err != nil || ump.GetCurator() != newcomer.GetName() {
		t.Fatalf("UMP curator %q (%v)", ump.GetCurator(), err)
	}
	// Giving one back.
	back, err := h.client.UpdateOfficial(ctx, &planningv1.UpdateOfficialRequest{
		Official: &planningv1.Official{Name: newcomer.GetName(), FullName: newcomer.GetFullName(), Position: newcomer.GetPosition(),
			CuratedDepartments: []string{"UMP"}, Etag: newcomer.GetEtag()},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"curated_departments"}},
	})
	if err != nil || !slices.Equal(back.GetCuratedDepartments(), []string{"UMP"}) {
		t.Fatalf("giving USPORT back: %v (%v)", back, err)
	}
	usport, err := h.client.GetDepartment(ctx, &planningv1.GetDepartmentRequest{Name: "departments/USPORT"})
	if err != nil || usport.GetCurator() != "" {
		t.Fatalf("USPORT curator %q (%v)", usport.GetCurator(), err)
	}
}
