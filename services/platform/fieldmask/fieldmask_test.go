package fieldmask

import (
	"slices"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	planningv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/planning/v1"
)

var updatable = []string{"full_name", "position", "department", "curated_departments", "active"}

func TestFields(t *testing.T) {
	o := &planningv1.Official{Name: "officials/x", Position: "Заместитель мэра", CuratedDepartments: []string{"UO"}}
	cases := []struct {
		mask []string
		want []string
	}{
		{nil, []string{"position", "curated_departments"}}, // only what was sent
		{[]string{"*"}, updatable},
		{[]string{"active", "name", "etag"}, []string{"active"}}, // identifier and etag ignored
	}
	for _, c := range cases {
		got, err := Fields("test", &fieldmaskpb.FieldMask{Paths: c.mask}, o, updatable)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("mask %v: got %v (%v), want %v", c.mask, got, err, c.want)
		}
	}
	_, err := Fields("test", &fieldmaskpb.FieldMask{Paths: []string{"salary"}}, o, updatable)
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("unknown path: %v", err)
	}
}
