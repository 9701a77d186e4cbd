package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
)

// StatsQuery is a statistics period: meetings starting in [From, To), and the year's bounds.
type StatsQuery struct {
	From, To         time.Time
	YearFrom, YearTo time.Time
	Departments      []string
	Now              time.Time
}

// StatsRow is one row of a breakdown.
type StatsRow struct {
	Key       string
	Name      string
	Held      int
	People    int
	Questions int
}

// Statistics are the figures of a period.
type Statistics struct {
	Planned, Held, Cancelled, ReportsOverdue int
	People, Questions, OnTheSpot, Referred   int
	UnscheduledHeld                          int
	ByMonth, ByDistrict, ByDepartment        []StatsRow
	BySpeaker                                []StatsRow
	Year, YearHeld, YearPeople               int
}

// MaxStatsDays is the longest statistics period.
const MaxStatsDays = 3 * 366

// GetStatistics counts meetings held and people reached from the first day to the last
// (inclusive, city time), by month, district, department and speaker, with the totals of the
// year the period ends in.
func (s *Service) GetStatistics(ctx context.Context, first, last time.Time, departments []string) (Statistics, error) {
	if _, err := s.reader(ctx); err != nil {
		return Statistics{}, err
	}
	if last.Before(first) {
		return Statistics{}, Errors.Invalid("INVALID_PERIOD", "end_date is before start_date",
			apierr.FieldViolation{Field: "end_date", Description: "must not be before start_date"})
	}
	if last.Sub(first) > MaxStatsDays*24*time.Hour {
		return Statistics{}, Errors.Invalid("INVALID_PERIOD", "the period is too long",
			apierr.FieldViolation{Field: "end_date", Description: fmt.Sprintf("at most %d days after start_date", MaxStatsDays)})
	}
	year := last.Year()
	q := StatsQuery{
		From: first, To: last.AddDate(0, 0, 1), Departments: departments, Now: s.now(),
		YearFrom: time.Date(year, 1, 1, 0, 0, 0, 0, domain.CityZone), YearTo: time.Date(year+1, 1, 1, 0, 0, 0, 0, domain.CityZone),
	}
	st, err := s.repo.Statistics(ctx, q)
	if err != nil {
		return Statistics{}, err
	}
	st.Year = year

	depts, err := s.repo.DepartmentNames(ctx)
	if err != nil {
		return Statistics{}, err
	}
	districts, err := s.districts(ctx)
	if err != nil {
		return Statistics{}, err
	}
	var ids []uuid.UUID
	for _, r := range st.BySpeaker {
		if id, err := uuid.Parse(strings.TrimPrefix(r.Key, "officials/")); err == nil {
			ids = append(ids, id)
		}
	}
	officials, err := s.repo.Officials(ctx, ids)
	if err != nil {
		return Statistics{}, err
	}
	for i := range st.ByMonth {
		st.ByMonth[i].Name = monthName(st.ByMonth[i].Key)
	}
	for i := range st.ByDistrict {
		r := &st.ByDistrict[i]
		if r.Name = districts[r.Key]; r.Key == "" {
			r.Name = "Общегородские"
		}
	}
	for i := range st.ByDepartment {
		st.ByDepartment[i].Name = depts[st.ByDepartment[i].Key]
	}
	for i := range st.BySpeaker {
		r := &st.BySpeaker[i]
		if id, err := uuid.Parse(strings.TrimPrefix(r.Key, "officials/")); err == nil {
			r.Name = officials[id].FullName
		}
	}
	sortRows(st.ByDistrict)
	sortRows(st.ByDepartment)
	sortRows(st.BySpeaker)
	return st, nil
}

// sortRows puts the most meetings first, then by key.
func sortRows(rows []StatsRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Held != rows[j].Held {
			return rows[i].Held > rows[j].Held
		}
		return rows[i].Key < rows[j].Key
	})
}

var monthNames = [...]string{"", "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
	"сентябрь", "октябрь", "ноябрь", "декабрь"}

func monthName(key string) string {
	t, err := time.Parse("2006-01", key)
	if err != nil {
		return key
	}
	return fmt.Sprintf("%s %d", monthNames[t.Month()], t.Year())
}
