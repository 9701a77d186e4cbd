package postgres

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/cityhall-khv/cityhall/services/outreach/internal/demoyear"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// ActiveOfficials are the ids of the active officials of the directory copy, in id order.
func (r *Repository) ActiveOfficials(ctx context.Context) ([]uuid.UUID, error) {
	rows, err := r.pool.Query(ctx, `SELECT id FROM directory_officials WHERE active ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
}

// LoadDemoYear writes a generated year in one transaction, with COPY. It writes nothing and
// returns 0 when the year's first plan exists already. No events are published: the year is
// history, not news.
func (r *Repository) LoadDemoYear(ctx context.Context, y demoyear.Year) (int, error) {
	if len(y.Plans) == 0 {
		return 0, nil
	}
	n := 0
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('outreach.demoyear'))"); err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM meeting_plans WHERE id = $1)`, y.Plans[0].ID.String()).Scan(&exists); err != nil || exists {
			return err
		}
		for _, p := range y.Plans {
			if _, err := tx.Exec(ctx, `INSERT INTO meeting_plans (id, year, month, election_period, state, submitter, submitter_name,
				submit_time, approver, approver_name, approve_time, revision, create_time, update_time, version)
				VALUES ($1, $2, $3, false, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
				p.ID.String(), p.ID.Year, p.ID.Month, int16(p.State), p.Submitter, p.SubmitterName, p.SubmitTime, p.Approver,
				p.ApproverName, p.ApproveTime, p.Revision, p.CreateTime, p.UpdateTime, p.Version); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO changes (time, actor, actor_name, kind, plan_id, plan_revision, note)
				VALUES ($1, $2, $3, $4, $5, 1, $6)`, p.ApproveTime, p.Approver, p.ApproverName, int16(domain.ChangePlanApproved),
				p.ID.String(), "утверждён, встреч: "+itoa(p.MeetingCount)); err != nil {
				return err
			}
		}
		var qrows [][]any
		mrows := make([][]any, 0, len(y.Meetings))
		for _, m := range y.Meetings {
			var attendance *int32
			var reportTime any
			summary, reporter, reporterName, materials := "", "", "", []byte("[]")
			if rep := m.Report; rep != nil {
				a := int32(rep.Attendance)
				attendance, reportTime, summary, reporter, reporterName = &a, rep.Time, rep.Summary, rep.Reporter, rep.ReporterName
				var err error
				if materials, err = json.Marshal(rep.Materials); err != nil {
					return err
				}
			}
			mrows = append(mrows, []any{m.ID, m.Plan.String(), m.Topic, m.Speakers, m.Audience, m.District, m.Venue, m.Start, m.End,
				m.Department, m.Organiser, m.OrganiserName, int16(m.State), m.StateReason, attendance, summary, string(materials),
				reporter, reporterName, reportTime, m.CreateTime, m.UpdateTime, m.Version})
			for _, q := range m.Questions {
				qrows = append(qrows, []any{q.ID, q.MeetingID, q.Position, q.Text, q.ClassifierCode, int16(q.Resolution), q.Answer, int16(q.State)})
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"meetings"}, []string{"id", "plan_id", "topic", "speakers", "audience", "district",
			"venue", "start_time", "end_time", "department", "organiser", "organiser_name", "state", "state_reason", "attendance",
			"summary", "materials", "reporter", "reporter_name", "report_time", "create_time", "update_time", "version"},
			pgx.CopyFromRows(mrows)); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"questions"}, []string{"id", "meeting_id", "position", "text", "classifier_code",
			"resolution", "answer", "state"}, pgx.CopyFromRows(qrows)); err != nil {
			return err
		}
		n = len(y.Meetings)
		return nil
	})
	return n, err
}

func itoa(n int) string { return strconv.Itoa(n) }
