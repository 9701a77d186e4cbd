package grpcapi

import (
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	outreachv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/outreach/v1"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/app"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/listing"
)

func badFilter(format string, args ...any) error {
	return listing.BadFilter(app.Errors, format, args...)
}

// parseMeetingFilter reads ListMeetings' filter: plan, unscheduled, state, department,
// district, speaker, start_time, report_overdue.
func parseMeetingFilter(filter string) (app.MeetingQuery, error) {
	var q app.MeetingQuery
	conds, err := listing.ParseFilter(app.Errors, filter)
	if err != nil {
		return q, err
	}
	for _, c := range conds {
		if c.Field != "start_time" && c.Op != "=" {
			return q, badFilter("%s supports only =", c.Field)
		}
		switch c.Field {
		case "plan":
			id, err := domain.ParsePlanID(strings.TrimPrefix(c.Value, "meetingPlans/"))
			if err != nil {
				return q, badFilter("plan %q is not meetingPlans/{YYYY-MM}[-election]", c.Value)
			}
			q.Plan = &id
		case "unscheduled", "report_overdue":
			b, err := strconv.ParseBool(c.Value)
			if err != nil {
				return q, badFilter("%s %q is not true or false", c.Field, c.Value)
			}
			if c.Field == "unscheduled" {
				q.Unscheduled = &b
			} else {
				q.ReportOverdue = &b
			}
		case "state":
			v, ok := outreachv1.MeetingState_value["MEETING_STATE_"+strings.TrimPrefix(c.Value, "MEETING_STATE_")]
			if !ok || v == 0 {
				return q, badFilter("state %q is not PLANNED, HELD, CANCELLED or POSTPONED", c.Value)
			}
			q.State = domain.MeetingState(v)
		case "department":
			q.Department = c.Value
		case "district":
			q.District = c.Value
		case "speaker":
			id, err := uuid.Parse(strings.TrimPrefix(c.Value, "officials/"))
			if err != nil {
				return q, badFilter("speaker %q is not officials/{uuid}", c.Value)
			}
			q.Speaker = &id
		case "start_time":
			t, err := parseTime(c.Value)
			if err != nil {
				return q, badFilter("start_time %q is not an RFC 3339 time or a date", c.Value)
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
			default:
				return q, badFilter("start_time supports >=, >, <, <=")
			}
		default:
			return q, badFilter("unknown field %q; use plan, unscheduled, state, department, district, speaker, start_time, report_overdue", c.Field)
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
