package grpcapi

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/cityhall-khv/cityhall/services/planning/internal/app"
	"github.com/cityhall-khv/cityhall/services/planning/internal/pb"
)

// A filter is conditions joined by AND (AIP-160 subset): `field = value`, value bare or quoted.
var conditionRE = regexp.MustCompile(`^\s*([a-z_]+)\s*=\s*(?:"([^"]*)"|([^\s"]+))\s*$`)
var andRE = regexp.MustCompile(`\s+AND\s+`)

func badFilter(format string, args ...any) error {
	return invalidField("INVALID_FILTER", "filter", fmt.Sprintf(format, args...))
}

// parseFilter calls set for each condition of filter.
func parseFilter(filter string, set func(field, value string) error) error {
	if strings.TrimSpace(filter) == "" {
		return nil
	}
	for _, cond := range andRE.Split(strings.TrimSpace(filter), -1) {
		m := conditionRE.FindStringSubmatch(cond)
		if m == nil {
			return badFilter("cannot read %q; write field = value joined by AND", cond)
		}
		if err := set(m[1], m[2]+m[3]); err != nil {
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

// A page token carries the keyset position (the sort keys of the last row) and a fingerprint
// of the query it belongs to, so it cannot be replayed against another list or filter (AIP-158).
type pageToken struct {
	K []string `json:"k"`
	Q string   `json:"q"`
}

func fingerprint(method protoreflect.FullName, parts ...string) string {
	sum := sha256.Sum256([]byte(string(method) + "\x00" + strings.Join(parts, "\x00")))
	return base64.RawURLEncoding.EncodeToString(sum[:8])
}

func encodePageToken(fingerprint string, keys ...string) string {
	b, _ := json.Marshal(pageToken{K: keys, Q: fingerprint})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodePageToken(s, fingerprint string, keys int) ([]string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	var t pageToken
	if err != nil || json.Unmarshal(b, &t) != nil || t.Q != fingerprint || len(t.K) != keys {
		return nil, badPageToken()
	}
	return t.K, nil
}

func badPageToken() error {
	return invalidField("INVALID_PAGE_TOKEN", "page_token", "not a token from a previous response with the same filter")
}

func boolString(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
