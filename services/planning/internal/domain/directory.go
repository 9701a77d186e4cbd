// Package domain holds the rules of the city's organisation directory: districts, structural
// subdivisions (departments) and officials. It knows nothing of storage or transport.
package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// District is one of the city's districts.
type District struct {
	Code       string
	Name       string
	UpdateTime time.Time
	Version    int64 // bumped on every change; the etag
}

// Department is a structural subdivision: a committee, department, directorate, office.
type Department struct {
	Code       string
	Name       string
	Kind       string
	District   string    // district code; empty for city-wide bodies
	Parent     string    // code of the department this one is part of; empty at the top
	Curator    uuid.UUID // the official who curates it; uuid.Nil when none
	Active     bool      // a deactivated department keeps its history and takes no new assignments
	Demo       bool      // added for demonstration, not from the public list
	CreateTime time.Time
	UpdateTime time.Time
	Version    int64
}

// Official is an official of the administration. CuratedDepartments is derived from the
// departments' curators, the one record of curatorship.
type Official struct {
	ID                 uuid.UUID
	FullName           string
	Position           string
	Department         string
	CuratedDepartments []string // sorted
	PlanAreas          []string
	Active             bool
	Demo               bool
	UpdateTime         time.Time
	Version            int64
}

// Updatable fields, named as in the API's update_mask.
const (
	FieldDisplayName        = "display_name"
	FieldKind               = "kind"
	FieldDistrict           = "district"
	FieldParent             = "parent"
	FieldCurator            = "curator"
	FieldFullName           = "full_name"
	FieldPosition           = "position"
	FieldDepartment         = "department"
	FieldCuratedDepartments = "curated_departments"
	FieldPlanAreas          = "plan_areas"
	FieldActive             = "active"
)

var (
	DistrictFields   = []string{FieldDisplayName}
	DepartmentFields = []string{FieldDisplayName, FieldKind, FieldDistrict, FieldParent, FieldCurator}
	OfficialFields   = []string{FieldFullName, FieldPosition, FieldDepartment, FieldCuratedDepartments, FieldPlanAreas, FieldActive}
)

// Violation names a field (proto path relative to the resource) and the rule it breaks.
type Violation struct {
	Field  string
	Reason string
}

// Patch applies the named fields of p to d.
func (d District) Patch(p District, fields []string) District {
	if slices.Contains(fields, FieldDisplayName) {
		d.Name = p.Name
	}
	return d
}

// Patch applies the named fields of p to d.
func (d Department) Patch(p Department, fields []string) Department {
	for _, f := range fields {
		switch f {
		case FieldDisplayName:
			d.Name = p.Name
		case FieldKind:
			d.Kind = p.Kind
		case FieldDistrict:
			d.District = p.District
		case FieldParent:
			d.Parent = p.Parent
		case FieldCurator:
			d.Curator = p.Curator
		}
	}
	return d
}

// Patch applies the named fields of p to o.
func (o Official) Patch(p Official, fields []string) Official {
	for _, f := range fields {
		switch f {
		case FieldFullName:
			o.FullName = p.FullName
		case FieldPosition:
			o.Position = p.Position
		case FieldDepartment:
			o.Department = p.Department
		case FieldCuratedDepartments:
			o.CuratedDepartments = Sorted(p.CuratedDepartments)
		case FieldPlanAreas:
			o.PlanAreas = p.PlanAreas
		case FieldActive:
			o.Active = p.Active
		}
	}
	return o
}

// Check applies the rules a district must keep that need no stored data.
func (d District) Check() []Violation {
	var vs []Violation
	if d.Code == "" {
		vs = append(vs, Violation{"code", "required"})
	}
	if blank(d.Name) {
		vs = append(vs, Violation{"display_name", "required"})
	}
	return vs
}

// Check applies the rules a department must keep that need no stored data.
func (d Department) Check() []Violation {
	var vs []Violation
	if d.Code == "" {
		vs = append(vs, Violation{"code", "required"})
	}
	if blank(d.Name) {
		vs = append(vs, Violation{"display_name", "required"})
	}
	if d.Parent != "" && d.Parent == d.Code {
		vs = append(vs, Violation{"parent", "a department cannot be part of itself"})
	}
	return vs
}

// Check applies the rules an official must keep that need no stored data.
func (o Official) Check() []Violation {
	var vs []Violation
	if blank(o.FullName) {
		vs = append(vs, Violation{"full_name", "required"})
	}
	if blank(o.Position) {
		vs = append(vs, Violation{"position", "required"})
	}
	for i, a := range o.PlanAreas {
		if blank(a) {
			vs = append(vs, Violation{"plan_areas[" + strconv.Itoa(i) + "]", "empty plan area"})
		}
	}
	return vs
}

// ParentCycle tells whether making parent the parent of code would close a loop, given every
// department's current parent.
func ParentCycle(code, parent string, parents map[string]string) bool {
	seen := map[string]bool{}
	for p := parent; p != ""; p = parents[p] {
		if p == code {
			return true
		}
		if seen[p] {
			return true // an existing loop; never extend it
		}
		seen[p] = true
	}
	return false
}

// Equal tells whether two officials hold the same data (versions and times aside).
func (o Official) Equal(p Official) bool {
	return o.ID == p.ID && o.FullName == p.FullName && o.Position == p.Position && o.Department == p.Department &&
		slices.Equal(o.CuratedDepartments, p.CuratedDepartments) && slices.Equal(o.PlanAreas, p.PlanAreas) &&
		o.Active == p.Active && o.Demo == p.Demo
}

// Sorted returns a sorted copy of codes without duplicates.
func Sorted(codes []string) []string {
	out := slices.Clone(codes)
	slices.Sort(out)
	return slices.Compact(out)
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
