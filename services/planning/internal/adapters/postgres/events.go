package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	planningv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/planning/v1"
	"github.com/cityhall-khv/cityhall/services/planning/internal/domain"
	"github.com/cityhall-khv/cityhall/services/planning/internal/pb"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/outbox"
)

// Each change publishes the entity's whole state with its new version, on the entity's own
// subject: the DIRECTORY stream keeps the latest per subject, i.e. the current directory.

func publishDistrict(ctx context.Context, tx pgx.Tx, d domain.District) error {
	_, err := outbox.Add(ctx, tx, directory.DistrictSubject(d.Code),
		&planningv1.DistrictChanged{District: pb.District(d), Version: d.Version})
	return err
}

func publishDepartment(ctx context.Context, tx pgx.Tx, d domain.Department) error {
	_, err := outbox.Add(ctx, tx, directory.DepartmentSubject(d.Code),
		&planningv1.DepartmentChanged{Department: pb.Department(d), Version: d.Version})
	return err
}

func publishOfficial(ctx context.Context, tx pgx.Tx, o domain.Official) error {
	_, err := outbox.Add(ctx, tx, directory.OfficialSubject(o.ID.String()),
		&planningv1.OfficialChanged{Official: pb.Official(o), Version: o.Version})
	return err
}
