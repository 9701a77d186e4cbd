package grpcapi

import (
	"testing"
	"time"

	"buf.build/go/protovalidate"
	"github.com/google/uuid"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
)

// A create's CPU work in the API process, without the database: protovalidate rules, the
// request → domain mapping and the domain's checks, and the appeal → response mapping.
// Compare runs with benchstat:
//   go test -run '^$' -bench . -benchmem -count 6 ./services/appeals/internal/ports/grpcapi > new.txt

func benchRequest() *appealsv1.CreateAppealRequest {
	return &appealsv1.CreateAppealRequest{
		RequestId: uuid.NewString(),
		Appeal: &appealsv1.Appeal{
			Channel: appealsv1.Channel_CHANNEL_ELECTRONIC, District: "ZHD",
			Text:            "Прошу принять меры: во дворе дома третью неделю не вывозят мусор, контейнеры переполнены.",
			ClassifierCodes: []string{"0005.0005.0056.1149"},
		},
		Applicant: &appealsv1.Applicant{FullName: "Петров Пётр Петрович", PostalAddress: "680000, г. Хабаровск, ул. Ленина, д. 1, кв. 2"},
	}
}

func BenchmarkCreateValidation(b *testing.B) {
	req := benchRequest()
	v, err := protovalidate.New()
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	b.Run("protovalidate", func(b *testing.B) {
		for b.Loop() {
			if err := v.Validate(req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("mapping+domain", func(b *testing.B) {
		for b.Loop() {
			r, err := registrationOf(req)
			if err != nil {
				b.Fatal(err)
			}
			if vs := r.Check(now); len(vs) > 0 {
				b.Fatal(vs)
			}
		}
	})
}

func BenchmarkAppealToProto(b *testing.B) {
	r, err := registrationOf(benchRequest())
	if err != nil {
		b.Fatal(err)
	}
	a := domain.Register(uuid.Must(uuid.NewV7()), r, time.Now(), 123, nil)
	a.DepartmentName = "Комитет по управлению Железнодорожным районом администрации города Хабаровска"
	for b.Loop() {
		if appealToProto(a).GetName() == "" {
			b.Fatal("no name")
		}
	}
}
