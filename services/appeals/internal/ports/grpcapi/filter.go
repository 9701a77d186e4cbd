package grpcapi

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/listing"
)

var (
	classifierPrefixRE   = regexp.MustCompile(`^[0-9]{4}(\.[0-9]{4}){0,4}$`)
	registrationNumberRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{6}$`)
)

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
		case "deadline_state":
			v, ok := appealsv1.DeadlineState_value["DEADLINE_STATE_"+strings.TrimPrefix(value, "DEADLINE_STATE_")]
			if !ok || v == 0 {
				return q, badFilter("unknown deadline_state %q; use ON_TIME, DUE_SOON, OVERDUE or CLOSED", value)
			}
			q.Deadline = domain.DeadlineState(v)
		case "repeated":
			b, err := strconv.ParseBool(value)
			if err != nil {
				return q, badFilter("repeated takes true or false, not %q", value)
			}
			q.Repeated = &b
		case "registration_number":
			if !registrationNumberRE.MatchString(value) {
				return q, badFilter("registration_number %q is not like 2026-000123", value)
			}
			q.RegistrationNumber = value
		case "executor":
			q.Executor = value
		case "source":
			if value == "" {
				return q, badFilter("source takes a resource name such as \"meetings/{meeting}/questions/{question}\"")
			}
			q.Source = value
		default:
			return q, badFilter("unknown field %q; use state, channel, department, district, classifier_code, register_time, "+
				"deadline_state, repeated, registration_number, executor, source", field)
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

// parseAuditFilter reads ListAuditRecords' filter: appeal, actor, action, time.
func parseAuditFilter(filter string) (app.AuditQuery, error) {
	var q app.AuditQuery
	conds, err := listing.ParseFilter(app.Errors, filter)
	if err != nil {
		return q, err
	}
	for _, c := range conds {
		if c.Field != "time" && c.Op != "=" {
			return q, badFilter("%s supports only =", c.Field)
		}
		switch c.Field {
		case "appeal":
			id, err := uuid.Parse(strings.TrimPrefix(c.Value, "appeals/"))
			if err != nil {
				return q, badFilter("appeal %q is not appeals/{uuid}", c.Value)
			}
			q.AppealID = id
		case "actor":
			q.Actor = c.Value
		case "action":
			q.Action = c.Value
		case "time":
			t, err := parseTime(c.Value)
			if err != nil {
				return q, badFilter("time %q is not an RFC 3339 time or a date", c.Value)
			}
			switch c.Op {
			case ">=":
				q.From = t
			case ">":
				q.From = t.Add(time.Microsecond)
			case "<":
				q.To = t
			case "<=":
				q.To = t.Add(time.Microsecond)
			}
		default:
			return q, badFilter("unknown field %q; use appeal, actor, action, time", c.Field)
		}
	}
	return q, nil
}
