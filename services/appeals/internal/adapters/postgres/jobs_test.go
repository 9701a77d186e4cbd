package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/appeals/db"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/adapters/postgres"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

// Several replicas run the jobs at the same time: each appeal is reminded, and each applicant
// destroyed, exactly once.
func TestJobsAreSafeWithSeveralReplicas(t *testing.T) {
	ctx := context.Background()
	pool, err := pgdb.Open(ctx, testkit.PostgresURL(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := pgdb.Migrate(ctx, pool, db.Migrations, directory.Migrations); err != nil {
		t.Fatal(err)
	}
	repo := postgres.New(pool)
	registered := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	const n = 120
	for i := range n {
		p := &domain.Applicant{FullName: "Иванов", PostalAddress: "Хабаровск"}
		r := domain.Registration{Channel: domain.ChannelLetter, Text: "x", ClassifierCodes: []string{"0005.0005.0056.1149"},
			Department: "KUR-ZHD", Applicant: p}
		id := uuid.New()
		if _, err := repo.Register(ctx, app.NewAppeal{Applicant: p, Actor: app.System, CreatedBy: "test",
			Now: func() time.Time { return registered },
			Build: func(now time.Time, _ []uuid.UUID) domain.Appeal {
				a := domain.Register(id, r, now, 0, nil)
				if i%2 == 0 { // half are closed: only the open ones are reminded, only the closed ones destroyed
					a.State, a.CloseTime = domain.StateReturned, registered
				}
				return a
			}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, "UPDATE appeals SET close_time = register_time WHERE state = $1", int(domain.StateReturned)); err != nil {
		t.Fatal(err)
	}

	run := func(job func() error) {
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 5 {
					if err := job(); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
	}
	today := domain.DateOf(registered).AddDays(40)
	run(func() error {
		_, _, err := repo.NotifyDeadlines(ctx, today, domain.DueSoonFrom(today), registered.AddDate(0, 0, 40), 7)
		return err
	})
	count := func(sql string) int {
		var c int
		if err := pool.QueryRow(ctx, sql).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if got := count(`SELECT count(*) FROM outbox WHERE subject = 'cityhall.appeals.v1.appeal_overdue'`); got != n/2 {
		t.Fatalf("%d AppealOverdue for %d open appeals", got, n/2)
	}
	if got := count(`SELECT count(*) FROM appeal_history WHERE action = 'overdue'`); got != n/2 {
		t.Fatalf("%d overdue history entries", got)
	}
	run(func() error {
		_, err := repo.DestroyApplicants(ctx, registered.AddDate(1, 0, 0), registered.AddDate(1, 0, 0), 7)
		return err
	})
	if got := count(`SELECT count(*) FROM audit_records WHERE action = 'DESTROY'`); got != n/2 {
		t.Fatalf("%d destructions recorded for %d closed appeals", got, n/2)
	}
	if got := count(`SELECT count(*) FROM applicants WHERE destroy_time IS NOT NULL`); got != n/2 {
		t.Fatalf("%d applicants destroyed", got)
	}
}
