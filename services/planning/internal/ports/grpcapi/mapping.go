package grpcapi

import (
	"slices"
	"strings"

	"github.com/google/uuid"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

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

// maskFields is the list of fields an update changes (AIP-134): the mask's updatable paths; an
// empty mask or "*" means all of them. Other fields of the resource (name, etag, output-only,
// the immutable code) are ignored, as AIP-203 asks, so that a client may PATCH back a whole
// resource it read (the REST gateway makes the mask from the body's fields); a path that is no
// field of the resource is an error.
func maskFields(mask *fieldmaskpb.FieldMask, resource proto.Message, updatable []string) ([]string, error) {
	paths := mask.GetPaths()
	if len(paths) == 0 || slices.Equal(paths, []string{"*"}) {
		return updatable, nil
	}
	fields := resource.ProtoReflect().Descriptor().Fields()
	var out []string
	for _, p := range paths {
		switch {
		case slices.Contains(updatable, p):
			out = append(out, p)
		case fields.ByName(protoreflect.Name(p)) == nil:
			return nil, invalidField("INVALID_UPDATE_MASK", "update_mask",
				"no field "+p+"; updatable: "+strings.Join(updatable, ", "))
		}
	}
	return out, nil
}

func invalidField(reason, field, description string) error {
	return app.Errors.Invalid(reason, field+": "+description, apierr.FieldViolation{Field: field, Description: description})
}
