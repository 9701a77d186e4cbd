// Package pb turns the directory's domain types into their protobuf resources. The gRPC API
// and the events carry the same resources, so both use these.
package pb

import (
	"strconv"

	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	planningv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/planning/v1"
	"github.com/cityhall-khv/cityhall/services/planning/internal/domain"
)

// Resource name prefixes.
const (
	DistrictPrefix   = "districts/"
	DepartmentPrefix = "departments/"
	OfficialPrefix   = "officials/"
)

// Etag is the version as the API shows it.
func Etag(version int64) string { return strconv.FormatInt(version, 10) }

// OfficialName is the resource name of an official; "" for uuid.Nil (no official).
func OfficialName(id uuid.UUID) string {
	if id == uuid.Nil {
		return ""
	}
	return OfficialPrefix + id.String()
}

func District(d domain.District) *planningv1.District {
	return &planningv1.District{
		Name:        DistrictPrefix + d.Code,
		Code:        d.Code,
		DisplayName: d.Name,
		UpdateTime:  timestamppb.New(d.UpdateTime),
		Etag:        Etag(d.Version),
	}
}

func Department(d domain.Department) *planningv1.Department {
	return &planningv1.Department{
		Name:        DepartmentPrefix + d.Code,
		Code:        d.Code,
		DisplayName: d.Name,
		Kind:        d.Kind,
		District:    d.District,
		Parent:      d.Parent,
		Curator:     OfficialName(d.Curator),
		Active:      d.Active,
		Demo:        d.Demo,
		CreateTime:  timestamppb.New(d.CreateTime),
		UpdateTime:  timestamppb.New(d.UpdateTime),
		Etag:        Etag(d.Version),
	}
}

func Official(o domain.Official) *planningv1.Official {
	return &planningv1.Official{
		Name:               OfficialName(o.ID),
		FullName:           o.FullName,
		Position:           o.Position,
		Department:         o.Department,
		CuratedDepartments: o.CuratedDepartments,
		PlanAreas:          o.PlanAreas,
		Active:             o.Active,
		Demo:               o.Demo,
		UpdateTime:         timestamppb.New(o.UpdateTime),
		Etag:               Etag(o.Version),
	}
}
