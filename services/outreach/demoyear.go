package outreach

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/outreach/internal/adapters/postgres"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/demoyear"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// DemoYearMeetings is how many meetings a whole demo year has: about the city's 2017 count.
const DemoYearMeetings = demoyear.MeetingsPerYear

// LoadDemoYear writes a generated year of meetings with residents shaped like the city's 2017
// (about 1,000 meetings reaching over 22,000 people; twelve approved monthly plans; every held
// meeting with its closing report and the questions answered on the spot) straight into the
// outreach database at databaseURL, with COPY. The service must have migrated the database and
// filled its directory copy (it has once it runs): the speakers are its officials. In the
// current year only the months that ended before last month are written, so the year meets
// the live plans without overlapping them. It returns how many meetings it loaded: 0 when the
// year is already loaded.
func LoadDemoYear(ctx context.Context, databaseURL string, year int) (int, error) {
	pool, err := pgdb.Open(ctx, databaseURL)
	if err != nil {
		return 0, err
	}
	defer pool.Close()
	repo := postgres.New(pool)
	// The officials reach the directory copy shortly after the service starts.
	var speakers []uuid.UUID
	for range 150 {
		if speakers, err = repo.ActiveOfficials(ctx); err != nil || len(speakers) > 0 {
			break
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	if err != nil {
		return 0, err
	}
	if len(speakers) == 0 {
		return 0, errors.New("the outreach directory copy has no officials: is the service running with planning?")
	}
	now := time.Now().In(domain.CityZone)
	until := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, domain.CityZone).AddDate(0, -1, 0) // last month's plan is live
	return repo.LoadDemoYear(ctx, demoyear.Generate(year, speakers, until))
}
