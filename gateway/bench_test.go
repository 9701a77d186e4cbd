package gateway

import (
	"bytes"
	"testing"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/timestamppb"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
)

// The gateway's JSON mapping of the appeals API with the marshaler options Handler uses:
// a create's body in, an appeal and a page of 50 out. Compare runs with benchstat:
//   go test -run '^$' -bench . -benchmem -count 6 ./gateway > new.txt

func benchMarshaler() runtime.Marshaler {
	return &runtime.HTTPBodyMarshaler{Marshaler: &runtime.JSONPb{
		MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: true},
		UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
	}}
}

func benchAppeal() *appealsv1.Appeal {
	now := timestamppb.New(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	return &appealsv1.Appeal{
		Name: "appeals/0190f6a2-7b1c-7c3e-9a55-2f6b4f0d1e21", RegistrationNumber: "2026-000123",
		Channel: appealsv1.Channel_CHANNEL_ELECTRONIC, District: "ZHD", Department: "KUR-ZHD",
		DepartmentDisplayName: "Комитет по управлению Железнодорожным районом администрации города Хабаровска",
		Text:                  "Прошу принять меры: во дворе дома третью неделю не вывозят мусор, контейнеры переполнены.",
		ClassifierCodes:       []string{"0005.0005.0056.1149"}, ReceiveTime: now, RegisterTime: now, UpdateTime: now,
		State: appealsv1.AppealState_APPEAL_STATE_REGISTERED, Etag: "1",
	}
}

func BenchmarkCreateBodyIn(b *testing.B) {
	m := benchMarshaler()
	body := []byte(`{"requestId":"0d1c6a4e-0f55-4b7e-9d1c-3a2b1c0d9e8f","appeal":{"channel":"CHANNEL_ELECTRONIC","district":"ZHD",` +
		`"text":"Прошу принять меры: во дворе дома третью неделю не вывозят мусор.","classifierCodes":["0005.0005.0056.1149"]},` +
		`"applicant":{"fullName":"Петров Пётр Петрович","postalAddress":"680000, г. Хабаровск, ул. Ленина, д. 1, кв. 2"}}`)
	for b.Loop() {
		var req appealsv1.CreateAppealRequest
		if err := m.NewDecoder(bytes.NewReader(body)).Decode(&req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppealOut(b *testing.B) {
	m := benchMarshaler()
	a := benchAppeal()
	for b.Loop() {
		if _, err := m.Marshal(a); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListPageOut(b *testing.B) {
	m := benchMarshaler()
	page := &appealsv1.ListAppealsResponse{NextPageToken: "CgsIgL6HoAYQ"}
	for range 50 {
		page.Appeals = append(page.Appeals, benchAppeal())
	}
	for b.Loop() {
		if _, err := m.Marshal(page); err != nil {
			b.Fatal(err)
		}
	}
}
