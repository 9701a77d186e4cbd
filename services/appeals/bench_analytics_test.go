package appeals_test

import (
	"context"
	"testing"
	"time"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/adapters/postgres"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/demoyear"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/ports/grpcapi"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

// demoYearDatabase is a migrated appeals database with the demo year 2017 loaded.
func demoYearDatabase(b *testing.B) string {
	b.Helper()
	ctx := context.Background()
	url := testkit.PostgresURL(b, nil)
	if err := appeals.Migrate(ctx, appeals.Config{DatabaseURL: url}); err != nil {
		b.Fatal(err)
	}
	if _, err := appeals.LoadDemoYear(ctx, url, 2017); err != nil {
		b.Fatal(err)
	}
	return url
}

// BenchmarkAppealStatistics is GetAppealStatistics (and the exports) over the demo year of
// 22,884 appeals, called on the gRPC server in process: the use case, both SQL queries and the
// mapping, without the network. Run: go test -run '^$' -bench AppealStatistics ./services/appeals
func BenchmarkAppealStatistics(b *testing.B) {
	url := demoYearDatabase(b)
	ctx := context.Background()
	pool, err := pgdb.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	// The clerk's department must be in the directory copy.
	if _, err := pool.Exec(ctx, `INSERT INTO directory_departments (code, name, active, version)
		VALUES ('KUR-ZHD', 'Комитет по управлению Железнодорожным районом', true, 1) ON CONFLICT DO NOTHING`); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE appeals"); err != nil {
		b.Fatal(err)
	}
	server := grpcapi.New(app.New(postgres.New(pool), time.Now))
	mayor := auth.WithPrincipal(ctx, auth.Principal{Subject: "mayor", Login: "mayor", Roles: []auth.Role{auth.RoleMayor}})
	clerk := auth.WithPrincipal(ctx, auth.Principal{Subject: "clerk", Login: "clerk.zhd", Department: "KUR-ZHD", Roles: []auth.Role{auth.RoleClerk}})
	year := &appealsv1.GetAppealStatisticsRequest{StartDate: statsDate(onDay(2017, 1, 1)), EndDate: statsDate(onDay(2017, 12, 31))}
	month := &appealsv1.GetAppealStatisticsRequest{StartDate: statsDate(onDay(2017, 11, 1)), EndDate: statsDate(onDay(2017, 11, 30))}
	for _, c := range []struct {
		name string
		ctx  context.Context
		req  *appealsv1.GetAppealStatisticsRequest
	}{{"year/city", mayor, year}, {"year/department", clerk, year}, {"month/city", mayor, month}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				st, err := server.GetAppealStatistics(c.ctx, c.req)
				if err != nil {
					b.Fatal(err)
				}
				if st.GetAppeals() == 0 {
					b.Fatal("no appeals")
				}
			}
		})
	}
	for _, f := range []appealsv1.ExportFormat{appealsv1.ExportFormat_EXPORT_FORMAT_CSV, appealsv1.ExportFormat_EXPORT_FORMAT_XLSX} {
		b.Run("export/"+f.String(), func(b *testing.B) {
			req := &appealsv1.ExportAppealStatisticsRequest{StartDate: year.StartDate, EndDate: year.EndDate, Format: f}
			for b.Loop() {
				body, err := server.ExportAppealStatistics(mayor, req)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(len(body.GetData())), "file-bytes")
			}
		})
	}
}

// BenchmarkLoadDemoYear is `cityhall run --demo-year`'s load: generating the year and writing
// it with COPY into a fresh database. Run: go test -run '^$' -bench LoadDemoYear -benchtime 3x ./services/appeals
func BenchmarkLoadDemoYear(b *testing.B) {
	ctx := context.Background()
	b.Run("generate", func(b *testing.B) {
		for b.Loop() {
			demoyear.Generate(2017, time.Now())
		}
	})
	b.Run("generate+copy", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			url := testkit.PostgresURL(b, nil)
			if err := appeals.Migrate(ctx, appeals.Config{DatabaseURL: url}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			n, err := appeals.LoadDemoYear(ctx, url, 2017)
			if err != nil || n != demoyear.AppealsPerYear {
				b.Fatal(n, err)
			}
		}
	})
}
