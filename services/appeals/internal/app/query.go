package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
)

// Order is a supported sort of the list.
type Order int

const (
	OrderRegisterTimeDesc Order = iota // newest first (default)
	OrderRegisterTimeAsc
	OrderAnswerDueAsc
	OrderAnswerDueDesc
)

// ListQuery selects a page of appeals. All conditions are joined by AND; zero values select all.
type ListQuery struct {
	State              domain.State
	Department         string
	District           string
	Channel            domain.Channel
	ClassifierPrefix   string    // e.g. "0005.0005" selects the topic and everything under it
	RegisteredFrom     time.Time // inclusive
	RegisteredTo       time.Time // exclusive
	Deadline           domain.DeadlineState
	Repeated           *bool
	RegistrationNumber string
	Executor           string
	Source             string // exact, e.g. meetings/{meeting}/questions/{question}
	// Today is the city-time day deadline conditions compare with; set by the service.
	Today domain.Date
	Order Order
	Limit int
	After *Cursor // keyset position: the last row of the previous page
}

// Cursor is a keyset position: the sort key and id of the last row seen.
type Cursor struct {
	Time time.Time // register_time, or the answer due date at city midnight
	ID   uuid.UUID
}

// Today is the current city-time day by the service's clock.
func (s *Service) Today() domain.Date { return domain.DateOf(s.now()) }

// shown completes an appeal for display: its deadline state today.
func (s *Service) shown(a domain.Appeal) domain.Appeal {
	a.Deadline = a.DeadlineState(s.Today())
	return a
}

// GetAppeal returns one appeal the caller may see; anything else is NOT_FOUND.
func (s *Service) GetAppeal(ctx context.Context, id uuid.UUID, name string) (domain.Appeal, error) {
	acc, err := s.access(ctx)
	if err != nil {
		return domain.Appeal{}, err
	}
	a, err := s.repo.Get(ctx, id, acc.read)
	if err != nil {
		return domain.Appeal{}, notFound(err, name)
	}
	return s.shown(a), nil
}

// ListAppeals returns up to q.Limit appeals the caller may see, plus whether more follow.
func (s *Service) ListAppeals(ctx context.Context, q ListQuery) ([]domain.Appeal, bool, error) {
	acc, err := s.access(ctx)
	if err != nil {
		return nil, false, err
	}
	limit := q.Limit
	q.Limit = limit + 1 // one extra row tells whether another page exists
	q.Today = s.Today()
	rows, err := s.repo.List(ctx, q, acc.read)
	if err != nil {
		return nil, false, err
	}
	more := len(rows) > limit
	if more {
		rows = rows[:limit]
	}
	for i := range rows {
		rows[i] = s.shown(rows[i])
	}
	return rows, more, nil
}

// CursorOf is the keyset position after a for the given order.
func CursorOf(a domain.Appeal, o Order) Cursor {
	if o == OrderAnswerDueAsc || o == OrderAnswerDueDesc {
		return Cursor{Time: a.AnswerDueDate.Time(), ID: a.ID}
	}
	return Cursor{Time: a.RegisterTime, ID: a.ID}
}
