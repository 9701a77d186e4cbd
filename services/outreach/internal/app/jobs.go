package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
)

// jobBatch is how many meetings one run of the reminder job handles per transaction.
const jobBatch = 200

// RemindReports publishes MeetingReportDue for every meeting past its time without a closing
// report that was not reminded today (city day), once per meeting and day whatever the number
// of replicas running it. It runs until nothing is left to remind.
func (s *Service) RemindReports(ctx context.Context) (int, error) {
	now := s.stamp()
	day := domain.CityDay(now)
	total := 0
	for range 10_000 { // bounded: each round reminds a batch, or returns
		n, err := s.repo.RemindReports(ctx, day, now, jobBatch)
		total += n
		if err != nil || n < jobBatch {
			return total, err
		}
	}
	return total, nil
}

// AppealRegistered links a referred question to the appeal registered for it. Appeals from
// other sources, and questions this service does not know, are no concern of outreach.
func (s *Service) AppealRegistered(ctx context.Context, tx Tx, source string, appeal uuid.UUID, number string, at time.Time) error {
	mid, qid, ok := domain.ParseQuestionName(source)
	if !ok {
		return nil
	}
	_, err := s.repo.LinkAppeal(ctx, tx, AppealLink{Question: qid, Meeting: mid, Appeal: appeal, Number: number, RegisterTime: &at})
	return err
}

// AppealAnswered shows on the question that its appeal is answered, when and how.
func (s *Service) AppealAnswered(ctx context.Context, tx Tx, source string, appeal uuid.UUID, number string, at time.Time, result int, onTime bool) error {
	mid, qid, ok := domain.ParseQuestionName(source)
	if !ok {
		return nil
	}
	_, err := s.repo.LinkAppeal(ctx, tx, AppealLink{Question: qid, Meeting: mid, Appeal: appeal, Number: number,
		AnswerTime: &at, Result: result, OnTime: onTime})
	return err
}
