package grpcapi

import (
	"strings"

	"github.com/google/uuid"

	planningv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/planning/v1"
	"github.com/cityhall-khv/cityhall/services/planning/internal/app"
	"github.com/cityhall-khv/cityhall/services/planning/internal/domain"
	"github.com/cityhall-khv/cityhall/services/planning/internal/pb"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
)

func districtOf(d *planningv1.District) domain.District {
	return domain.District{Code: d.GetCode(), Name: d.GetDisplayName()}
}

func departmentOf(d *planningv1.Department) (domain.Department, error) {
	out := domain.Department{
		Code: d.GetCode(), Name: d.GetDisplayName(), Kind: d.GetKind(), District: d.GetDistrict(), Parent: d.GetParent(),
	}
	if d.GetCurator() != "" {
		id, err := officialID(d.GetCurator(), "department.curator")
		if err != nil {
			return domain.Department{}, err
		}
		out.Curator = id
	}
	return out, nil
}

func officialOf(o *planningv1.Official) domain.Official {
	return domain.Official{
		FullName: o.GetFullName(), Position: o.GetPosition(), Department: o.GetDepartment(),
		CuratedDepartments: o.GetCuratedDepartments(), PlanAreas: o.GetPlanAreas(), Active: o.GetActive(),
	}
}

// officialID reads `officials/{uuid}` from the request field named field.
func officialID(name, field string) (uuid.UUID, error) {
	id, err := uuid.Parse(strings.TrimPrefix(name, pb.OfficialPrefix))
	if err != nil || !strings.HasPrefix(name, pb.OfficialPrefix) {
		return uuid.Nil, invalidField("INVALID_NAME", field, "not officials/{uuid}")
	}
	return id, nil
}

// codeOf is the code an update names in `<prefix>{code}`; the code field, immutable, may only
// repeat it.
func codeOf(name, code, prefix, resource string) (string, error) {
	c, ok := strings.CutPrefix(name, prefix)
	if !ok || c == "" || strings.Contains(c, "/") {
		return "", invalidField("INVALID_NAME", resource+".name", "not "+prefix+"{code}")
	}
	if code != "" && code != c {
		return "", invalidField("IMMUTABLE_FIELD", resource+".code", "the code never changes")
	}
	return c, nil
}

func invalidField(reason, field, description string) error {
	return app.Errors.Invalid(reason, field+": "+description, apierr.FieldViolation{Field: field, Description: description})
}
