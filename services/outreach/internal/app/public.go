package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
)

// Public reads need no sign-in: they return the meetings residents may see (unscheduled ones
// and those of approved plans) and the ports show their public fields only.

// PublicQuery selects the public schedule.
type PublicQuery struct {
	District string
	From, To time.Time // start_time in [From, To); From defaults to the start of today, To to 90 days later
	After    *Cursor
	Limit    int
}

// PublicScheduleDays is how far ahead the public schedule looks by default.
const PublicScheduleDays = 90

// PublicMeetings lists upcoming public meetings (planned, postponed and cancelled ones, so
// nobody comes to a cancelled meeting), soonest first.
func (s *Service) PublicMeetings(ctx context.Context, q PublicQuery) ([]domain.Meeting, error) {
	if q.From.IsZero() {
		now := s.now().In(domain.CityZone)
		q.From = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.CityZone)
	}
	if q.To.IsZero() {
		q.To = q.From.AddDate(0, 0, PublicScheduleDays)
	}
	ms, err := s.repo.ListMeetings(ctx, MeetingQuery{
		PublicOnly: true, District: q.District, From: q.From, To: q.To, After: q.After, Limit: q.Limit,
		States: []domain.MeetingState{domain.MeetingPlanned, domain.MeetingPostponed, domain.MeetingCancelled},
	})
	if err != nil {
		return nil, err
	}
	return s.shownAll(ctx, ms)
}

// CalendarQuery selects the meetings of an iCalendar feed: a department's, a speaker's, or
// the whole public schedule (optionally of one district).
type CalendarQuery struct {
	Department string
	Speaker    *uuid.UUID
	District   string
}

// Calendar feeds cover the recent past and the coming year, at most CalendarMaxEvents events.
const (
	CalendarPastDays  = 90
	CalendarMaxEvents = 2000
)

// Calendar is the public meetings of a feed, held ones included.
func (s *Service) Calendar(ctx context.Context, q CalendarQuery) ([]domain.Meeting, error) {
	switch {
	case q.Department != "":
		if _, known, err := s.repo.Department(ctx, q.Department); err != nil || !known {
			return nil, notFoundOr(err, "departments/"+q.Department)
		}
	case q.Speaker != nil:
		known, err := s.repo.Officials(ctx, []uuid.UUID{*q.Speaker})
		if err != nil || len(known) == 0 {
			return nil, notFoundOr(err, "officials/"+q.Speaker.String())
		}
	}
	now := s.now()
	ms, err := s.repo.ListMeetings(ctx, MeetingQuery{
		PublicOnly: true, Department: q.Department, Speaker: q.Speaker, District: q.District,
		From: now.AddDate(0, 0, -CalendarPastDays), To: now.AddDate(1, 0, 0), Limit: CalendarMaxEvents,
	})
	if err != nil {
		return nil, err
	}
	return s.shownAll(ctx, ms)
}

func notFoundOr(err error, name string) error {
	if err != nil {
		return err
	}
	return Errors.NotFound(name)
}
