package grpcapi

import (
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/cityhall-khv/cityhall/services/planning/internal/app"
	"github.com/cityhall-khv/cityhall/services/planning/internal/pb"
	"github.com/cityhall-khv/cityhall/services/platform/listing"
)

func badFilter(format string, args ...any) error {
	return listing.BadFilter(app.Errors, format, args...)
}

// parseFilter calls set for each condition of filter; the directory's filters take = only.
func parseFilter(filter string, set func(field, value string) error) error {
	conds, err := listing.ParseFilter(app.Errors, filter)
	if err != nil {
		return err
	}
	for _, c := range conds {
		if c.Op != "=" {
			return badFilter("%s supports only =", c.Field)
		}
		if err := set(c.Field, c.Value); err != nil {
			return err
		}
	}
	return nil
}

func boolValue(field, value string) (*bool, error) {
	switch value {
	case "true":
		return new(true), nil
	case "false":
		return new(false), nil
	}
	return nil, badFilter("%s takes true or false", field)
}

func departmentFilter(filter string) (app.DepartmentQuery, error) {
	var q app.DepartmentQuery
	err := parseFilter(filter, func(field, value string) (err error) {
		switch field {
		case "district":
			q.District = value
		case "kind":
			q.Kind = value
		case "curator":
			if q.Curator, err = officialID(value, "filter"); err != nil {
				return badFilter("curator takes officials/{uuid}")
			}
		case "active":
			q.Active, err = boolValue(field, value)
		default:
			return badFilter("unknown field %q; use district, kind, curator, active", field)
		}
		return err
	})
	return q, err
}

func officialFilter(filter string) (app.OfficialQuery, error) {
	var q app.OfficialQuery
	err := parseFilter(filter, func(field, value string) (err error) {
		switch field {
		case "department":
			q.Department = value
		case "curates":
			q.Curates = strings.TrimPrefix(value, pb.DepartmentPrefix)
		case "active":
			q.Active, err = boolValue(field, value)
		default:
			return badFilter("unknown field %q; use department, curates, active", field)
		}
		return err
	})
	return q, err
}

func fingerprint(method protoreflect.FullName, parts ...string) string {
	return listing.Fingerprint(append([]string{string(method)}, parts...)...)
}

func encodePageToken(fingerprint string, keys ...string) string {
	return listing.EncodeToken(fingerprint, keys...)
}

func decodePageToken(s, fingerprint string, keys int) ([]string, error) {
	return listing.DecodeToken(app.Errors, s, fingerprint, keys)
}

func boolString(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
