package grpcapi

import (
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/listing"
)

var classifierPrefixRE = regexp.MustCompile(`^[0-9]{4}(\.[0-9]{4}){0,4}$`)

func badFilter(format string, args ...any) error {
	return listing.BadFilter(app.Errors, format, args...)
}

func parseFilter(filter string) (app.ListQuery, error) {
	var q app.ListQuery
	conds, err := listing.ParseFilter(app.Errors, filter)
	if err != nil {
		return q, err
	}
	for _, c := range conds {
		field, op, value := c.Field, c.Op, c.Value
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

func queryFingerprint(req *appealsv1.ListAppealsRequest) string {
	return listing.Fingerprint("ListAppeals", req.GetFilter(), req.GetOrderBy())
}

func encodePageToken(c app.Cursor, fingerprint string) string {
	return listing.EncodeToken(fingerprint, c.Time.Format(time.RFC3339Nano), c.ID.String())
}

func decodePageToken(s, fingerprint string) (app.Cursor, error) {
	keys, err := listing.DecodeToken(app.Errors, s, fingerprint, 2)
	if err != nil {
		return app.Cursor{}, err
	}
	t, errT := time.Parse(time.RFC3339Nano, keys[0])
	id, errID := uuid.Parse(keys[1])
	if errT != nil || errID != nil {
		return app.Cursor{}, listing.BadPageToken(app.Errors)
	}
	return app.Cursor{Time: t, ID: id}, nil
}
