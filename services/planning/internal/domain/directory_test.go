package domain

import (
	"slices"
	"testing"

	"github.com/google/uuid"
)

func TestParentCycle(t *testing.T) {
	parents := map[string]string{"A": "", "B": "A", "C": "B", "X": "Y", "Y": "X"}
	for _, c := range []struct {
		code, parent string
		cycle        bool
	}{
		{"D", "C", false}, // a new department under C
		{"A", "C", true},  // A would sit under its own grandchild
		{"B", "C", true},  // B would sit under its child
		{"C", "A", false}, // moving up is fine
		{"D", "X", true},  // never build on an existing loop
		{"A", "", false},
	} {
		if got := ParentCycle(c.code, c.parent, parents); got != c.cycle {
			t.Errorf("%s under %s: cycle %v, want %v", c.code, c.parent, got, c.cycle)
		}
	}
}

func TestDepartmentPatchTouchesOnlyTheMaskedFields(t *testing.T) {
	cur := Department{Code: "UT", Name: "Управление транспорта", Kind: "управление", District: "CEN", Curator: uuid.New(), Active: true, Version: 3}
	p := Department{Name: "Управление транспорта и связи", Kind: "", District: ""}
	got := cur.Patch(p, []string{FieldDisplayName})
	want := cur
	want.Name = p.Name
	if got != want {
		t.Fatalf("patched %+v, want %+v", got, want)
	}
	// Every field as sent: empty values clear.
	got = cur.Patch(p, DepartmentFields)
	if got.Kind != "" || got.District != "" || got.Curator != uuid.Nil || got.Code != "UT" || !got.Active {
		t.Fatalf("full patch %+v", got)
	}
}

func TestChecks(t *testing.T) {
	fields := func(vs []Violation) []string {
		var out []string
		for _, v := range vs {
			out = append(out, v.Field)
		}
		return out
	}
	if got := fields(Department{Code: "A", Name: "x", Parent: "A"}.Check()); !slices.Equal(got, []string{"parent"}) {
		t.Errorf("self parent: %v", got)
	}
	if got := fields(Department{Name: " "}.Check()); !slices.Equal(got, []string{"code", "display_name"}) {
		t.Errorf("empty department: %v", got)
	}
	if got := fields(Official{FullName: "Иванов И. И.", PlanAreas: []string{"ЖКХ", " "}}.Check()); !slices.Equal(got, []string{"position", "plan_areas[1]"}) {
		t.Errorf("official: %v", got)
	}
	if got := fields(District{Code: "ZHD", Name: "Железнодорожный"}.Check()); got != nil {
		t.Errorf("valid district: %v", got)
	}
}

func TestOfficialPatchSortsCuratedDepartments(t *testing.T) {
	cur := Official{ID: uuid.New(), FullName: "a", Position: "b", CuratedDepartments: []string{"UO"}, Active: true}
	got := cur.Patch(Official{CuratedDepartments: []string{"UT", "KUR-ZHD", "UT"}}, []string{FieldCuratedDepartments})
	if !slices.Equal(got.CuratedDepartments, []string{"KUR-ZHD", "UT"}) || !got.Active {
		t.Fatalf("patched %+v", got)
	}
	if got.Equal(cur) || !cur.Equal(cur.Patch(Official{CuratedDepartments: []string{"UO"}}, []string{FieldCuratedDepartments})) {
		t.Fatal("Equal disagrees with the patch")
	}
}
