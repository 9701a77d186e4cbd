// Package directorytest publishes directory events as planning would, for other services' tests.
package directorytest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"google.golang.org/protobuf/proto"

	planningv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/planning/v1"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
)

// Departments is a small directory for tests: real codes and names of the city's subdivisions.
var Departments = []directory.Department{
	{Code: "KUR-ZHD", Name: "Комитет по управлению Железнодорожным районом администрации города Хабаровска", Kind: "комитет", District: "ZHD", Active: true},
	{Code: "KUR-IND", Name: "Комитет по управлению Индустриальным районом администрации города Хабаровска", Kind: "комитет", District: "IND", Active: true},
	{Code: "OOG", Name: "Отдел обращений граждан администрации города Хабаровска", Kind: "отдел", Active: true},
	{Code: "UDVB", Name: "Управление дорог и внешнего благоустройства администрации города Хабаровска", Kind: "управление", Active: true},
	{Code: "UT", Name: "Управление транспорта администрации города Хабаровска", Kind: "управление", Active: true},
	{Code: "UO", Name: "Управление образования администрации города Хабаровска", Kind: "управление", Active: true},
	{Code: "DASZ", Name: "Департамент архитектуры, строительства и землепользования администрации города Хабаровска", Kind: "департамент", Active: true},
}

// Official is an official for tests, as planning's OfficialChanged carries it.
type Official struct {
	ID                 string // uuid
	FullName, Position string
	Department         string
	CuratedDepartments []string
	Active             bool
}

// Officials are demo officials with the ids planning seeds them with (the dev issuer's users
// carry the same ids in their "official" claim).
var Officials = []Official{
	{ID: "3d3be973-11e6-5297-ad4b-f989fb1d2641", FullName: "Морозов Сергей Анатольевич", Position: "Мэр города Хабаровска", Active: true},
	{ID: "7c5d3435-5756-57f8-9745-65a009f5eb4e", FullName: "Соколова Елена Александровна", Position: "Первый заместитель мэра города Хабаровска",
		CuratedDepartments: []string{"OOG"}, Active: true},
	{ID: "4e064058-f01e-5cb7-acc2-82a71eb6a2d4", FullName: "Васильев Андрей Игоревич", Position: "Заместитель мэра города по вопросам городского хозяйства",
		CuratedDepartments: []string{"KUR-ZHD", "KUR-IND", "UDVB", "UT"}, Active: true},
}

// PublishOfficial publishes an OfficialChanged event as planning would.
func PublishOfficial(t testing.TB, conn *natsx.Conn, o Official, version int64) {
	t.Helper()
	ctx := context.Background()
	if err := conn.EnsureStream(ctx, directory.Stream()); err != nil {
		t.Fatal(err)
	}
	data, err := proto.Marshal(&planningv1.OfficialChanged{Version: version, Official: &planningv1.Official{
		Name: "officials/" + o.ID, FullName: o.FullName, Position: o.Position, Department: o.Department,
		CuratedDepartments: o.CuratedDepartments, Active: o.Active,
	}})
	if err != nil {
		t.Fatal(err)
	}
	msg := nats.NewMsg(directory.OfficialSubject(o.ID))
	msg.Data = data
	msg.Header.Set(nats.MsgIdHdr, uuid.NewString())
	if _, err := conn.JS.PublishMsg(ctx, msg); err != nil {
		t.Fatal(err)
	}
}

// SeedOfficials publishes Officials (version 1).
func SeedOfficials(t testing.TB, conn *natsx.Conn) {
	t.Helper()
	for _, o := range Officials {
		PublishOfficial(t, conn, o, 1)
	}
}

// PublishDepartment publishes a DepartmentChanged event as planning would.
func PublishDepartment(t testing.TB, conn *natsx.Conn, d directory.Department, version int64) {
	t.Helper()
	ctx := context.Background()
	if err := conn.EnsureStream(ctx, directory.Stream()); err != nil {
		t.Fatal(err)
	}
	data, err := proto.Marshal(&planningv1.DepartmentChanged{Version: version, Department: &planningv1.Department{
		Name: "departments/" + d.Code, Code: d.Code, DisplayName: d.Name, Kind: d.Kind, District: d.District,
		Parent: d.Parent, Curator: d.Curator, Active: d.Active,
	}})
	if err != nil {
		t.Fatal(err)
	}
	msg := nats.NewMsg(directory.DepartmentSubject(d.Code))
	msg.Data = data
	msg.Header.Set(nats.MsgIdHdr, uuid.NewString())
	if _, err := conn.JS.PublishMsg(ctx, msg); err != nil {
		t.Fatal(err)
	}
}

// SeedDirectory publishes Departments (version 1) so that a service's read copy fills up.
func SeedDirectory(t testing.TB, conn *natsx.Conn) {
	t.Helper()
	for _, d := range Departments {
		PublishDepartment(t, conn, d, 1)
	}
}

// WaitDepartment waits until the read copy in pool has department code with the given name.
func WaitDepartment(t testing.TB, pool *pgxpool.Pool, code, name string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		d, ok, err := directory.LookupDepartment(context.Background(), pool, code)
		if err == nil && ok && d.Name == name {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("read copy: department %s is %+v (known %v, err %v), want name %q", code, d, ok, err, name)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
