package grpcapi

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
)

// A filter is conditions joined by AND (AIP-160 subset): `field op value`, value bare or quoted.
var conditionRE = regexp.MustCompile(`^\s*([a-z_]+)\s*(>=|<=|=|<|>)\s*("([^"]*)"|[^\s"]+)\s*$`)
var andRE = regexp.MustCompile(`\s+AND\s+`)
var classifierPrefixRE = regexp.MustCompile(`^[0-9]{4}(\.[0-9]{4}){0,4}$`)

func badFilter(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return app.Errors.Invalid("INVALID_FILTER", "invalid filter: "+msg, apierr.FieldViolation{Field: "filter", Description: msg})
}

func parseFilter(filter string) (app.ListQuery, error) {
	var q app.ListQuery
	if strings.TrimSpace(filter) == "" {
		return q, nil
	}
	for _, cond := range andRE.Split(strings.TrimSpace(filter), -1) {
		m := conditionRE.FindStringSubmatch(cond)
		if m == nil {
			return q, badFilter("cannot read %q; write field = value joined by AND", cond)
		}
		field, op, value := m[1], m[2], m[3]
		if m[4] != "" || strings.HasPrefix(value, `"`) {
			value = m[4]
		}
		if field != "register_time" && op != "=" {
			return q, badFilter("%s supports only =", field)
		}
		switch field {
		case "state":
			v, ok := appealsv1.AppealState_value["APPEAL_STATE_"+strings.TrimPrefix(value, "APPEAL_STATE_")]
			if !ok || v == 0 {
				return q, badFilter("unknown state %q", value)
			}
			q.State = domain.State(v)
		case "channel":
			v, ok := appealsv1.Channel_value["CHANNEL_"+strings.TrimPrefix(value, "CHANNEL_")]
			if !ok || v == 0 {
				return q, badFilter("unknown channel %q", value)
			}
			q.Channel = domain.Channel(v)
		case "department":
			q.Department = value
		case "district":
			q.District = value
		case "classifier_code":
			prefix := strings.TrimSuffix(value, "*")
			if !classifierPrefixRE.MatchString(prefix) {
				return q, badFilter("classifier_code %q is not a code or a code prefix like 0005.0005*", value)
			}
			q.ClassifierPrefix = prefix
		case "register_time":
			t, err := parseTime(value)
			if err != nil {
				return q, badFilter("register_time %q is not an RFC 3339 time or a date", value)
			}
			switch op {
			case ">=":
				q.RegisteredFrom = t
			case ">":
				q.RegisteredFrom = t.Add(time.Nanosecond)
			case "<":
				q.RegisteredTo = t
			case "<=":
				q.RegisteredTo = t.Add(time.Nanosecond)
			default:
				return q, badFilter("register_time takes >=, >, < or <=")
			}
		default:
			return q, badFilter("unknown field %q; use state, channel, department, district, classifier_code, register_time", field)
		}
	}
	return q, nil
}

// parseTime takes RFC 3339, or a date meaning the start of that day in city time.
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.ParseInLocation(time.DateOnly, s, domain.CityZone)
}

var orders = map[string]app.Order{
	"":                     app.OrderRegisterTimeDesc,
	"register_time desc":   app.OrderRegisterTimeDesc,
	"register_time":        app.OrderRegisterTimeAsc,
	"register_time asc":    app.OrderRegisterTimeAsc,
	"answer_due_date":      app.OrderAnswerDueAsc,
	"answer_due_date asc":  app.OrderAnswerDueAsc,
	"answer_due_date desc": app.OrderAnswerDueDesc,
}

func parseOrder(s string) (app.Order, error) {
	o, ok := orders[strings.Join(strings.Fields(s), " ")]
	if !ok {
		return 0, app.Errors.Invalid("INVALID_ORDER_BY", "unsupported order_by",
			apierr.FieldViolation{Field: "order_by", Description: "use register_time [desc] or answer_due_date [desc]"})
	}
	return o, nil
}

// A page token carries the keyset position and a fingerprint of the query it belongs to,
// so a token cannot be replayed against another filter or order (AIP-158).
type pageToken struct {
	T  time.Time `json:"t"`
	ID uuid.UUID `json:"i"`
	Q  string    `json:"q"`
}

func queryFingerprint(req *appealsv1.ListAppealsRequest) string {
	sum := sha256.Sum256([]byte(req.GetFilter() + "\x00" + req.GetOrderBy()))
	return base64.RawURLEncoding.EncodeToString(sum[:8])
}

func encodePageToken(c app.Cursor, fingerprint string) string {
	b, _ := json.Marshal(pageToken{T: c.Time, ID: c.ID, Q: fingerprint})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodePageToken(s, fingerprint string) (app.Cursor, error) {
	bad := app.Errors.Invalid("INVALID_PAGE_TOKEN", "invalid page_token",
		apierr.FieldViolation{Field: "page_token", Description: "not a token from a previous response with the same filter and order_by"})
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return app.Cursor{}, bad
	}
	var t pageToken
	if json.Unmarshal(b, &t) != nil || t.Q != fingerprint {
		return app.Cursor{}, bad
	}
	return app.Cursor{Time: t.T, ID: t.ID}, nil
}
