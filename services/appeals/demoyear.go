package appeals

import (
	"context"
	"time"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/adapters/postgres"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/demoyear"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// DemoYearAppeals is how many appeals a whole demo year has: the city's 2017 count.
const DemoYearAppeals = demoyear.AppealsPerYear

// LoadDemoYear writes a generated year of appeals shaped like the city's 2017 (22,884
// appeals, most on housing and utilities, seasonal, about 15% repeated, most answered within
// 30 days) straight into the appeals database at databaseURL, with COPY, in seconds. The
// service must have migrated the database (it has once it runs). Appeals are as they stand
// now: in the current year only those registered so far, and some still in work. The
// applicants are synthetic («Житель 00123»). It returns how many appeals it loaded: 0 when
// the year is already loaded.
func LoadDemoYear(ctx context.Context, databaseURL string, year int) (int, error) {
	pool, err := pgdb.Open(ctx, databaseURL)
	if err != nil {
		return 0, err
	}
	defer pool.Close()
	return postgres.New(pool).LoadDemoYear(ctx, year, demoyear.Generate(year, time.Now()))
}

// CityYear is the year of t in the city's time zone, the calendar the demo years follow.
func CityYear(t time.Time) int { return domain.RegistrationYear(t) }
