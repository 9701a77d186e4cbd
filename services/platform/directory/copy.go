package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	planningv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/planning/v1"
)

// Apply writes one directory event into the read copy, in the consumer's transaction
// (an inbox.Handler). An event not newer than the copy's row changes nothing.
func Apply(ctx context.Context, tx pgx.Tx, msg jetstream.Msg) error {
	rest, ok := strings.CutPrefix(msg.Subject(), subjectPrefix)
	if !ok {
		return fmt.Errorf("directory: unexpected subject %s", msg.Subject())
	}
	kind, _, _ := strings.Cut(rest, ".")
	switch kind {
	case "district_changed":
		var e planningv1.DistrictChanged
		if err := proto.Unmarshal(msg.Data(), &e); err != nil {
			return err
		}
		d := e.GetDistrict()
		_, err := tx.Exec(ctx, `INSERT INTO directory_districts (code, name, version) VALUES ($1, $2, $3)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, version = excluded.version
			WHERE directory_districts.version < excluded.version`, d.GetCode(), d.GetDisplayName(), e.GetVersion())
		return err
	case "department_changed":
		var e planningv1.DepartmentChanged
		if err := proto.Unmarshal(msg.Data(), &e); err != nil {
			return err
		}
		d := e.GetDepartment()
		_, err := tx.Exec(ctx, `INSERT INTO directory_departments (code, name, kind, district, parent, curator, active, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, district = excluded.district,
				parent = excluded.parent, curator = excluded.curator, active = excluded.active, version = excluded.version
			WHERE directory_departments.version < excluded.version`,
			d.GetCode(), d.GetDisplayName(), d.GetKind(), d.GetDistrict(), d.GetParent(), d.GetCurator(), d.GetActive(), e.GetVersion())
		return err
	case "official_changed":
		var e planningv1.OfficialChanged
		if err := proto.Unmarshal(msg.Data(), &e); err != nil {
			return err
		}
		o := e.GetOfficial()
		id, _ := strings.CutPrefix(o.GetName(), "officials/")
		_, err := tx.Exec(ctx, `INSERT INTO directory_officials (id, full_name, position, department, curated_departments, active, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (id) DO UPDATE SET full_name = excluded.full_name, position = excluded.position,
				department = excluded.department, curated_departments = excluded.curated_departments,
				active = excluded.active, version = excluded.version
			WHERE directory_officials.version < excluded.version`,
			id, o.GetFullName(), o.GetPosition(), o.GetDepartment(), nonNil(o.GetCuratedDepartments()), o.GetActive(), e.GetVersion())
		return err
	}
	return fmt.Errorf("directory: unknown event %s", msg.Subject())
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Querier is what the lookups need: a pool, a connection or a transaction.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Department is a department as the read copy knows it.
type Department struct {
	Code, Name, Kind, District, Parent, Curator string
	Active                                      bool
}

// LookupDepartment returns the copy's department and whether it is known.
func LookupDepartment(ctx context.Context, q Querier, code string) (Department, bool, error) {
	d := Department{Code: code}
	err := q.QueryRow(ctx, `SELECT name, kind, district, parent, curator, active FROM directory_departments WHERE code = $1`, code).
		Scan(&d.Name, &d.Kind, &d.District, &d.Parent, &d.Curator, &d.Active)
	if errors.Is(err, pgx.ErrNoRows) {
		return Department{}, false, nil
	}
	return d, err == nil, err
}

// Filled reports whether the read copy holds any department yet: before that, an unknown
// department cannot be told from one the copy has not received.
func Filled(ctx context.Context, q Querier) (bool, error) {
	var filled bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM directory_departments)`).Scan(&filled)
	return filled, err
}

// WaitFilled returns once the read copy holds at least one department, polling until ctx ends.
// A service reports itself ready only then: with an empty copy it would refuse every clerk.
func WaitFilled(ctx context.Context, q Querier) error {
	for {
		if filled, err := Filled(ctx, q); err == nil && filled {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
