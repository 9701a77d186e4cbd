package grpcapi

import (
	"context"
	"fmt"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/google/uuid"
	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	outreachv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/outreach/v1"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/app"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
)

// The iCalendar feeds (RFC 5545) carry what the public schedule shows, nothing more: calendar
// apps subscribe to them without a token.

const (
	calendarContentType = "text/calendar; charset=utf-8"
	// uidDomain makes event UIDs globally unique (RFC 5545 3.8.4.7).
	uidDomain = "outreach.cityhall.khv"
)

func (s *Server) GetPublicCalendar(ctx context.Context, req *outreachv1.GetPublicCalendarRequest) (*httpbody.HttpBody, error) {
	name := "Встречи с жителями — администрация города Хабаровска"
	if d := req.GetDistrict(); d != "" {
		name = fmt.Sprintf("Встречи с жителями — %s район", domain.Districts[d])
	}
	return s.calendar(ctx, app.CalendarQuery{District: req.GetDistrict()}, name, "meetings.ics")
}

func (s *Server) GetDepartmentCalendar(ctx context.Context, req *outreachv1.GetDepartmentCalendarRequest) (*httpbody.HttpBody, error) {
	code, ok := strings.CutPrefix(req.GetDepartment(), "departments/")
	if !ok || code == "" {
		return nil, app.Errors.Invalid("INVALID_NAME", "department must be departments/{code}",
			apierr.FieldViolation{Field: "department", Description: "not departments/{code}"})
	}
	return s.calendar(ctx, app.CalendarQuery{Department: code}, "Встречи с жителями — "+code, "meetings-"+strings.ToLower(code)+".ics")
}

func (s *Server) GetSpeakerCalendar(ctx context.Context, req *outreachv1.GetSpeakerCalendarRequest) (*httpbody.HttpBody, error) {
	id, err := uuid.Parse(strings.TrimPrefix(req.GetSpeaker(), "officials/"))
	if err != nil || !strings.HasPrefix(req.GetSpeaker(), "officials/") {
		return nil, app.Errors.Invalid("INVALID_NAME", "speaker must be officials/{uuid}",
			apierr.FieldViolation{Field: "speaker", Description: "not officials/{uuid}"})
	}
	return s.calendar(ctx, app.CalendarQuery{Speaker: &id}, "Встречи с жителями", "meetings-"+id.String()[:8]+".ics")
}

func (s *Server) calendar(ctx context.Context, q app.CalendarQuery, name, filename string) (*httpbody.HttpBody, error) {
	ms, err := s.svc.Calendar(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(ms) > 0 {
		switch {
		case q.Department != "" && ms[0].DepartmentName != "":
			name = "Встречи с жителями — " + ms[0].DepartmentName
		case q.Speaker != nil:
			for i, id := range ms[0].Speakers {
				if id == *q.Speaker && ms[0].SpeakerDetails[i].FullName != "" {
					name = "Встречи с жителями — " + ms[0].SpeakerDetails[i].FullName
				}
			}
		}
	}
	// The gateway sends this header on to the HTTP client: the file opens in a calendar app.
	_ = grpc.SetHeader(ctx, metadata.Pairs("content-disposition", fmt.Sprintf(`inline; filename="%s"`, filename)))
	return &httpbody.HttpBody{ContentType: calendarContentType, Data: []byte(RenderCalendar(name, ms, s.svc.Now()))}, nil
}

// RenderCalendar writes meetings as an iCalendar feed with CRLF line ends and folded lines.
func RenderCalendar(name string, ms []domain.Meeting, now time.Time) string {
	cal := ics.NewCalendarFor("Cityhall Khabarovsk")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetName(name)
	cal.SetXWRCalName(name)
	cal.SetXWRTimezone(domain.CityZone.String())
	cal.SetRefreshInterval("PT1H")
	cal.SetXPublishedTTL("PT1H")
	for _, m := range ms {
		e := cal.AddEvent(m.ID.String() + "@" + uidDomain)
		e.SetDtStampTime(now.UTC())
		e.SetCreatedTime(m.CreateTime.UTC())
		e.SetModifiedAt(m.UpdateTime.UTC())
		// SEQUENCE grows with every change, so calendar apps take a moved meeting's new time.
		e.SetSequence(int(m.Version))
		e.SetStartAt(m.Start.UTC())
		e.SetEndAt(m.End.UTC())
		e.SetSummary(m.Topic)
		e.SetLocation(m.Venue)
		e.SetDescription(describe(m))
		e.SetClass(ics.ClassificationPublic)
		if m.State == domain.MeetingCancelled {
			e.SetStatus(ics.ObjectStatusCancelled)
		} else {
			e.SetStatus(ics.ObjectStatusConfirmed)
		}
		if m.DistrictName != "" {
			e.AddCategory(m.DistrictName + " район")
		}
	}
	return cal.Serialize(ics.WithNewLineWindows)
}

// describe is an event's description in Russian: speakers, audience, organiser, state.
func describe(m domain.Meeting) string {
	var b strings.Builder
	if len(m.SpeakerDetails) > 0 {
		b.WriteString("Выступают:")
		for _, p := range m.SpeakerDetails {
			if p.FullName == "" {
				continue
			}
			fmt.Fprintf(&b, "\n— %s", p.FullName)
			if p.Position != "" {
				fmt.Fprintf(&b, ", %s", p.Position)
			}
		}
		b.WriteString("\n")
	}
	if m.Audience != "" {
		fmt.Fprintf(&b, "Приглашаются: %s\n", m.Audience)
	}
	if m.DistrictName != "" {
		fmt.Fprintf(&b, "Район: %s\n", m.DistrictName)
	}
	if m.DepartmentName != "" {
		fmt.Fprintf(&b, "Организатор: %s\n", m.DepartmentName)
	}
	switch {
	case m.State == domain.MeetingCancelled:
		b.WriteString("Встреча отменена.")
	case m.State == domain.MeetingPostponed && m.PreviousStart != nil:
		fmt.Fprintf(&b, "Встреча перенесена с %s.", domain.CityTime(*m.PreviousStart))
	}
	return strings.TrimSpace(b.String())
}
