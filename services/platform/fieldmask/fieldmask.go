// Package fieldmask reads the update_mask of a standard Update method (AIP-134).
package fieldmask

import (
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/cityhall-khv/cityhall/services/platform/apierr"
)

// Fields lists the fields an update changes:
//   - the mask's paths that are updatable;
//   - for "*", every updatable field, as sent (so an empty value clears it);
//   - for an empty mask, the updatable fields that are populated in the resource, so a partial
//     update over gRPC never clears what it did not send (AIP-134).
//
// Other fields of the resource (name, etag, output-only, immutable) are ignored, as AIP-203 asks,
// so a client may send back a whole resource it read; a path that is no field of the resource
// is INVALID_ARGUMENT naming update_mask.
func Fields(d apierr.Domain, mask *fieldmaskpb.FieldMask, resource proto.Message, updatable []string) ([]string, error) {
	paths := mask.GetPaths()
	msg := resource.ProtoReflect()
	if slices.Equal(paths, []string{"*"}) {
		return updatable, nil
	}
	if len(paths) == 0 {
		var out []string
		for _, f := range updatable {
			if fd := msg.Descriptor().Fields().ByName(protoreflect.Name(f)); fd != nil && msg.Has(fd) {
				out = append(out, f)
			}
		}
		return out, nil
	}
	var out []string
	for _, p := range paths {
		switch {
		case slices.Contains(updatable, p):
			out = append(out, p)
		case msg.Descriptor().Fields().ByName(protoreflect.Name(p)) == nil:
			desc := "no field " + p + "; updatable: " + strings.Join(updatable, ", ")
			return nil, d.Invalid("INVALID_UPDATE_MASK", "update_mask: "+desc, apierr.FieldViolation{Field: "update_mask", Description: desc})
		}
	}
	return out, nil
}
