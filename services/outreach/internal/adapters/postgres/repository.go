// Package postgres stores plans, meetings, their reports and change log in the outreach
// service's own PostgreSQL database, and writes its events to the outbox in the same
// transactions.
package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	outreachv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/outreach/v1"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/app"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/outbox"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// Subjects of the events the service publishes (payloads: outreachv1 events.proto).
var (
	SubjectQuestionReferred    = natsx.Subject("outreach", "question_referred")
	SubjectMeetingPlanApproved = natsx.Subject("outreach", "meeting_plan_approved")
	SubjectMeetingHeld         = natsx.Subject("outreach", "meeting_held")
	SubjectMeetingReportDue    = natsx.Subject("outreach", "meeting_report_due")
)

// Repository implements app.Repository.
type Repository struct {
	pool *pgxpool.Pool
}

// New returns the repository on pool.
func New(pool *pgxpool.Pool) *Repository { return &Repository{pool: pool} }

var _ app.Repository = (*Repository)(nil)

// --- the directory copy and the classifier ---

func (r *Repository) Department(ctx context.Context, code string) (app.Department, bool, error) {
	d, known, err := directory.LookupDepartment(ctx, r.pool, code)
	return app.Department{Name: d.Name, Active: d.Active}, known, err
}

func (r *Repository) Officials(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]app.Official, error) {
	out := map[uuid.UUID]app.Official{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := r.pool.Query(ctx, `SELECT id, full_name, position, active FROM directory_officials WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id uuid.UUID
		var o app.Official
		if err := rows.Scan(&id, &o.FullName, &o.Position, &o.Active); err != nil {
			return nil, err
		}
		out[id] = o
	}
	return out, rows.Err()
}

// names reads a two-column (key, name) query into a map.
func (r *Repository) names(ctx context.Context, sql string, args ...any) (map[string]string, error) {
	rows, err := r.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

func (r *Repository) Districts(ctx context.Context) (map[string]string, error) {
	return r.names(ctx, `SELECT code, name FROM directory_districts`)
}

func (r *Repository) DepartmentNames(ctx context.Context) (map[string]string, error) {
	return r.names(ctx, `SELECT code, name FROM directory_departments`)
}

func (r *Repository) UnknownClassifierCodes(ctx context.Context, codes []string) ([]string, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	rows, err := r.pool.Query(ctx, `SELECT c FROM unnest($1::text[]) c WHERE NOT EXISTS (SELECT 1 FROM classifier WHERE code = c)`, codes)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func (r *Repository) ClassifierNames(ctx context.Context, codes []string) (map[string]string, error) {
	return r.names(ctx, `SELECT code, name FROM classifier WHERE code = ANY($1)`, codes)
}

// --- plans ---

const planCols = `p.id, p.state, (SELECT count(*) FROM meetings WHERE plan_id = p.id), p.submitter, p.submitter_name, p.submit_time,
	p.approver, p.approver_name, p.approve_time, p.return_comment, p.return_time, p.revision, p.create_time, p.update_time, p.version`

func scanPlan(row pgx.Row) (domain.Plan, error) {
	var p domain.Plan
	var id string
	var state int16
	var count int64
	err := row.Scan(&id, &state, &count, &p.Submitter, &p.SubmitterName, &p.SubmitTime, &p.Approver, &p.ApproverName,
		&p.ApproveTime, &p.ReturnComment, &p.ReturnTime, &p.Revision, &p.CreateTime, &p.UpdateTime, &p.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, app.ErrNotFound
	}
	if err != nil {
		return p, err
	}
	if p.ID, err = domain.ParsePlanID(id); err != nil {
		return p, err
	}
	p.State, p.MeetingCount = domain.PlanState(state), int(count)
	return p, nil
}

func (r *Repository) CreatePlan(ctx context.Context, p domain.Plan, _ app.Actor) (domain.Plan, error) {
	tag, err := r.pool.Exec(ctx, `INSERT INTO meeting_plans (id, year, month, election_period, state, create_time, update_time, version)
		VALUES ($1, $2, $3, $4, $5, $6, $6, 1) ON CONFLICT (id) DO NOTHING`,
		p.ID.String(), p.ID.Year, p.ID.Month, p.ID.Election, int16(p.State), p.CreateTime)
	if err != nil {
		return domain.Plan{}, err
	}
	if tag.RowsAffected() == 0 {
		return domain.Plan{}, app.ErrAlreadyExists
	}
	return r.GetPlan(ctx, p.ID)
}

func (r *Repository) GetPlan(ctx context.Context, id domain.PlanID) (domain.Plan, error) {
	return scanPlan(r.pool.QueryRow(ctx, `SELECT `+planCols+` FROM meeting_plans p WHERE p.id = $1`, id.String()))
}

func (r *Repository) ListPlans(ctx context.Context, q app.PlanQuery) ([]domain.Plan, error) {
	where := []string{"true"}
	args := pgx.NamedArgs{"limit": q.Limit}
	if q.Year != 0 {
		where, args["year"] = append(where, "p.year = @year"), q.Year
	}
	if q.State != domain.PlanStateUnspecified {
		where, args["state"] = append(where, "p.state = @state"), int16(q.State)
	}
	if q.Election != nil {
		where, args["election"] = append(where, "p.election_period = @election"), *q.Election
	}
	if q.After != "" {
		where, args["after"] = append(where, "p.id < @after"), q.After
	}
	rows, err := r.pool.Query(ctx, `SELECT `+planCols+` FROM meeting_plans p WHERE `+strings.Join(where, " AND ")+
		` ORDER BY p.id DESC LIMIT @limit`, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Plan
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func lockPlan(ctx context.Context, tx pgx.Tx, id domain.PlanID) (domain.Plan, error) {
	return scanPlan(tx.QueryRow(ctx, `SELECT `+planCols+` FROM meeting_plans p WHERE p.id = $1 FOR UPDATE`, id.String()))
}

func storePlan(ctx context.Context, tx pgx.Tx, p domain.Plan) error {
	_, err := tx.Exec(ctx, `UPDATE meeting_plans SET state = $2, submitter = $3, submitter_name = $4, submit_time = $5,
		approver = $6, approver_name = $7, approve_time = $8, return_comment = $9, return_time = $10, revision = $11,
		update_time = $12, version = $13 WHERE id = $1`,
		p.ID.String(), int16(p.State), p.Submitter, p.SubmitterName, p.SubmitTime, p.Approver, p.ApproverName, p.ApproveTime,
		p.ReturnComment, p.ReturnTime, p.Revision, p.UpdateTime, p.Version)
	return err
}

func (r *Repository) ChangePlan(ctx context.Context, id domain.PlanID, actor app.Actor, now time.Time, decide func(domain.Plan) (app.PlanStep, error)) (domain.Plan, error) {
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		cur, err := lockPlan(ctx, tx, id)
		if err != nil {
			return err
		}
		st, err := decide(cur)
		if err != nil {
			return err
		}
		if err := storePlan(ctx, tx, st.Plan); err != nil {
			return err
		}
		revision := 0
		if st.Kind == domain.ChangePlanApproved {
			revision = st.Plan.Revision
		}
		if err := addChange(ctx, tx, app.Change{Time: now, Actor: actor, Kind: st.Kind, Plan: &id, PlanRevision: revision, Note: st.Note}); err != nil {
			return err
		}
		if st.Kind == domain.ChangePlanApproved {
			return publishPlan(ctx, tx, st.Plan)
		}
		return nil
	})
	if err != nil {
		return domain.Plan{}, err
	}
	return r.GetPlan(ctx, id)
}

// publishPlan writes MeetingPlanApproved with the plan's meetings as they are in tx.
func publishPlan(ctx context.Context, tx pgx.Tx, p domain.Plan) error {
	rows, err := tx.Query(ctx, `SELECT id, topic, department, district, start_time, speakers, state
		FROM meetings WHERE plan_id = $1 ORDER BY start_time, id`, p.ID.String())
	if err != nil {
		return err
	}
	defer rows.Close()
	e := &outreachv1.MeetingPlanApproved{Plan: p.ID.Name(), Year: int32(p.ID.Year), Month: int32(p.ID.Month),
		ElectionPeriod: p.ID.Election, Revision: int32(p.Revision)}
	if p.ApproveTime != nil {
		e.ApproveTime = timestamppb.New(*p.ApproveTime)
	}
	for rows.Next() {
		var id uuid.UUID
		var topic, dept, district string
		var start time.Time
		var speakers []uuid.UUID
		var state int16
		if err := rows.Scan(&id, &topic, &dept, &district, &start, &speakers, &state); err != nil {
			return err
		}
		e.Meetings = append(e.Meetings, &outreachv1.PlannedMeeting{Meeting: domain.MeetingName(id), Topic: topic,
			Department: dept, District: district, StartTime: timestamppb.New(start), Speakers: officialNames(speakers),
			Cancelled: domain.MeetingState(state) == domain.MeetingCancelled})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return publish(ctx, tx, SubjectMeetingPlanApproved, e)
}

func officialNames(ids []uuid.UUID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = "officials/" + id.String()
	}
	return out
}

func publish(ctx context.Context, tx pgx.Tx, subject string, m proto.Message) error {
	_, err := outbox.Add(ctx, tx, subject, m)
	return err
}

// bumpPlan records that a meeting of plan changed: its etag changes, and an approved plan
// gets its next revision, announced again. It returns the revision the change produced (0
// before approval).
func bumpPlan(ctx context.Context, tx pgx.Tx, plan *domain.Plan, kind domain.ChangeKind, now time.Time) (int, error) {
	if plan == nil {
		return 0, nil
	}
	plan.Version, plan.UpdateTime = plan.Version+1, now
	revision := 0
	if plan.State == domain.PlanApproved && kind.RevisesPlan() {
		plan.Revision++
		revision = plan.Revision
	}
	if err := storePlan(ctx, tx, *plan); err != nil {
		return 0, err
	}
	if revision > 0 {
		return revision, publishPlan(ctx, tx, *plan)
	}
	return 0, nil
}

// --- meetings ---

const meetingCols = `m.id, m.plan_id, m.topic, m.speakers, m.audience, m.district, m.venue, m.start_time, m.end_time,
	m.department, m.organiser, m.organiser_name, m.state, m.previous_start_time, m.state_reason, m.attendance, m.summary,
	m.materials, m.reporter, m.reporter_name, m.report_time, m.create_time, m.update_time, m.version, COALESCE(p.state, 0)`

const meetingFrom = ` FROM meetings m LEFT JOIN meeting_plans p ON p.id = m.plan_id`

func scanMeeting(row pgx.Row) (domain.Meeting, error) {
	var m domain.Meeting
	var plan *string
	var state, planState int16
	var attendance *int32
	var materials []byte
	var summary, reporter, reporterName string
	var reportTime *time.Time
	err := row.Scan(&m.ID, &plan, &m.Topic, &m.Speakers, &m.Audience, &m.District, &m.Venue, &m.Start, &m.End,
		&m.Department, &m.Organiser, &m.OrganiserName, &state, &m.PreviousStart, &m.StateReason, &attendance, &summary,
		&materials, &reporter, &reporterName, &reportTime, &m.CreateTime, &m.UpdateTime, &m.Version, &planState)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, app.ErrNotFound
	}
	if err != nil {
		return m, err
	}
	if plan != nil {
		id, err := domain.ParsePlanID(*plan)
		if err != nil {
			return m, err
		}
		m.Plan = &id
	}
	m.State, m.PlanState = domain.MeetingState(state), domain.PlanState(planState)
	if attendance != nil && reportTime != nil {
		rep := domain.Report{Attendance: int(*attendance), Summary: summary, Reporter: reporter, ReporterName: reporterName, Time: *reportTime}
		if err := json.Unmarshal(materials, &rep.Materials); err != nil {
			return m, fmt.Errorf("meeting %s materials: %w", m.ID, err)
		}
		m.Report = &rep
	}
	return m, nil
}

func planArg(p *domain.PlanID) any {
	if p == nil {
		return nil
	}
	return p.String()
}

func (r *Repository) CreateMeeting(ctx context.Context, n app.NewMeeting, now time.Time) (domain.Meeting, error) {
	m := n.Meeting
	var existing uuid.UUID
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		if n.Idem != nil {
			name, err := idempotency.Claim(ctx, tx, *n.Idem)
			if errors.Is(err, idempotency.ErrReused) {
				return app.ErrRequestIDReused
			}
			if err != nil {
				return err
			}
			if name != "" {
				existing, err = uuid.Parse(strings.TrimPrefix(name, "meetings/"))
				return err
			}
		}
		var plan *domain.Plan
		if m.Plan != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO meeting_plans (id, year, month, election_period, state, create_time, update_time, version)
				VALUES ($1, $2, $3, $4, $5, $6, $6, 1) ON CONFLICT (id) DO NOTHING`,
				m.Plan.String(), m.Plan.Year, m.Plan.Month, m.Plan.Election, int16(domain.PlanDraft), now); err != nil {
				return err
			}
			p, err := lockPlan(ctx, tx, *m.Plan)
			if err != nil {
				return err
			}
			if n.Check != nil {
				if err := n.Check(p); err != nil {
					return err
				}
			}
			plan = &p
		}
		if _, err := tx.Exec(ctx, `INSERT INTO meetings (id, plan_id, topic, speakers, audience, district, venue, start_time, end_time,
			department, organiser, organiser_name, state, create_time, update_time, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)`,
			m.ID, planArg(m.Plan), m.Topic, m.Speakers, m.Audience, m.District, m.Venue, m.Start, m.End,
			m.Department, m.Organiser, m.OrganiserName, int16(m.State), m.CreateTime, m.Version); err != nil {
			return err
		}
		revision, err := bumpPlan(ctx, tx, plan, domain.ChangeAdded, now)
		if err != nil {
			return err
		}
		note := fmt.Sprintf("%s, %s", domain.CityTime(m.Start), m.Venue)
		if err := addChange(ctx, tx, app.Change{Time: now, Actor: n.Actor, Kind: domain.ChangeAdded, Meeting: &m.ID,
			MeetingTopic: m.Topic, Plan: m.Plan, PlanRevision: revision, Note: note}); err != nil {
			return err
		}
		if n.Idem != nil {
			return idempotency.Complete(ctx, tx, *n.Idem, m.Name())
		}
		return nil
	})
	if err != nil {
		return domain.Meeting{}, err
	}
	if existing != uuid.Nil {
		return r.GetMeeting(ctx, existing)
	}
	return r.GetMeeting(ctx, m.ID)
}

func (r *Repository) GetMeeting(ctx context.Context, id uuid.UUID) (domain.Meeting, error) {
	m, err := scanMeeting(r.pool.QueryRow(ctx, `SELECT `+meetingCols+meetingFrom+` WHERE m.id = $1`, id))
	if err != nil {
		return m, err
	}
	m.Questions, err = r.Questions(ctx, id)
	return m, err
}

// ListMeetings is built by hand because its conditions vary; every value is a bind parameter.
// Pagination is keyset on (start_time, id).
func (r *Repository) ListMeetings(ctx context.Context, q app.MeetingQuery) ([]domain.Meeting, error) {
	where := []string{"true"}
	args := pgx.NamedArgs{"limit": q.Limit}
	add := func(cond, name string, value any) {
		where = append(where, cond)
		args[name] = value
	}
	if q.Plan != nil {
		add("m.plan_id = @plan", "plan", q.Plan.String())
	}
	if q.Unscheduled != nil {
		if *q.Unscheduled {
			where = append(where, "m.plan_id IS NULL")
		} else {
			where = append(where, "m.plan_id IS NOT NULL")
		}
	}
	if q.PublicOnly {
		add("(m.plan_id IS NULL OR p.state = @approved)", "approved", int16(domain.PlanApproved))
	}
	if q.State != domain.MeetingStateUnspecified {
		add("m.state = @state", "state", int16(q.State))
	}
	if len(q.States) > 0 {
		states := make([]int16, len(q.States))
		for i, s := range q.States {
			states[i] = int16(s)
		}
		add("m.state = ANY(@states)", "states", states)
	}
	if q.Department != "" {
		add("m.department = @department", "department", q.Department)
	}
	if q.District != "" {
		add("m.district = @district", "district", q.District)
	}
	if q.Speaker != nil {
		add("m.speakers @> ARRAY[@speaker::uuid]", "speaker", *q.Speaker)
	}
	if !q.From.IsZero() {
		add("m.start_time >= @from", "from", q.From)
	}
	if !q.To.IsZero() {
		add("m.start_time < @to", "to", q.To)
	}
	if q.ReportOverdue != nil {
		args["now"] = q.Now
		if *q.ReportOverdue {
			where = append(where, "(m.state IN (1, 4) AND m.end_time < @now)")
		} else {
			where = append(where, "NOT (m.state IN (1, 4) AND m.end_time < @now)")
		}
	}
	order := "m.start_time, m.id"
	if q.Desc {
		order = "m.start_time DESC, m.id DESC"
	}
	if q.After != nil {
		args["after_time"], args["after_id"] = q.After.Start, q.After.ID
		if q.Desc {
			where = append(where, "(m.start_time, m.id) < (@after_time, @after_id)")
		} else {
			where = append(where, "(m.start_time, m.id) > (@after_time, @after_id)")
		}
	}
	rows, err := r.pool.Query(ctx, `SELECT `+meetingCols+meetingFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY `+order+` LIMIT @limit`, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Meeting
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (r *Repository) ChangeMeeting(ctx context.Context, id uuid.UUID, idem *idempotency.Key, actor app.Actor, now time.Time,
	decide func(cur domain.Meeting, plan *domain.Plan) (app.MeetingStep, error)) (domain.Meeting, error) {
	deleted := false
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		if idem != nil {
			name, err := idempotency.Claim(ctx, tx, *idem)
			if errors.Is(err, idempotency.ErrReused) || (err == nil && name != "" && name != domain.MeetingName(id)) {
				return app.ErrRequestIDReused
			}
			if err != nil {
				return err
			}
			if name != "" {
				return nil // a retry: answer with the meeting as it is now
			}
		}
		cur, err := scanMeeting(tx.QueryRow(ctx, `SELECT `+meetingCols+meetingFrom+` WHERE m.id = $1 FOR UPDATE OF m`, id))
		if err != nil {
			return err
		}
		var plan *domain.Plan
		if cur.Plan != nil {
			p, err := lockPlan(ctx, tx, *cur.Plan)
			if err != nil {
				return err
			}
			plan = &p
			cur.PlanState = p.State
		}
		st, err := decide(cur, plan)
		if err != nil {
			return err
		}
		m := st.Meeting
		if st.Delete {
			deleted = true
			if _, err := tx.Exec(ctx, `DELETE FROM meetings WHERE id = $1`, id); err != nil {
				return err
			}
		} else if err := storeMeeting(ctx, tx, m); err != nil {
			return err
		}
		for _, q := range st.Questions {
			if err := insertQuestion(ctx, tx, q); err != nil {
				return err
			}
			if q.Resolution == domain.ResolutionFollowUp {
				if err := publish(ctx, tx, SubjectQuestionReferred, &outreachv1.QuestionReferred{
					Question: q.Name(), Meeting: m.Name(), Department: q.Department, District: m.District,
					ClassifierCode: q.ClassifierCode, RaiseTime: timestamppb.New(m.Start),
				}); err != nil {
					return err
				}
			}
		}
		if st.Kind == domain.ChangeReported && m.Report != nil {
			if err := publish(ctx, tx, SubjectMeetingHeld, &outreachv1.MeetingHeld{
				Meeting: m.Name(), Department: m.Department, District: m.District, StartTime: timestamppb.New(m.Start),
				Attendance: int32(m.Report.Attendance), QuestionCount: int32(len(st.Questions)),
			}); err != nil {
				return err
			}
		}
		var revision int
		if st.Kind.RevisesPlan() {
			if revision, err = bumpPlan(ctx, tx, plan, st.Kind, now); err != nil {
				return err
			}
		}
		change := app.Change{Time: now, Actor: actor, Kind: st.Kind, MeetingTopic: m.Topic, Plan: m.Plan, PlanRevision: revision, Note: st.Note}
		if !st.Delete {
			change.Meeting = &m.ID
		}
		if err := addChange(ctx, tx, change); err != nil {
			return err
		}
		if idem != nil {
			return idempotency.Complete(ctx, tx, *idem, m.Name())
		}
		return nil
	})
	if err != nil || deleted {
		return domain.Meeting{}, err
	}
	return r.GetMeeting(ctx, id)
}

func storeMeeting(ctx context.Context, tx pgx.Tx, m domain.Meeting) error {
	var attendance *int32
	var summary, reporter, reporterName string
	var reportTime *time.Time
	materials := []byte("[]")
	if r := m.Report; r != nil {
		a := int32(r.Attendance)
		attendance, summary, reporter, reporterName, reportTime = &a, r.Summary, r.Reporter, r.ReporterName, &r.Time
		var err error
		if materials, err = json.Marshal(nonNil(r.Materials)); err != nil {
			return err
		}
	}
	_, err := tx.Exec(ctx, `UPDATE meetings SET topic = $2, speakers = $3, audience = $4, district = $5, venue = $6,
		start_time = $7, end_time = $8, state = $9, previous_start_time = $10, state_reason = $11, attendance = $12,
		summary = $13, materials = $14, reporter = $15, reporter_name = $16, report_time = $17, update_time = $18, version = $19
		WHERE id = $1`,
		m.ID, m.Topic, m.Speakers, m.Audience, m.District, m.Venue, m.Start, m.End, int16(m.State), m.PreviousStart,
		m.StateReason, attendance, summary, materials, reporter, reporterName, reportTime, m.UpdateTime, m.Version)
	return err
}

func nonNil(ms []domain.Material) []domain.Material {
	if ms == nil {
		return []domain.Material{}
	}
	return ms
}

func insertQuestion(ctx context.Context, tx pgx.Tx, q domain.Question) error {
	_, err := tx.Exec(ctx, `INSERT INTO questions (id, meeting_id, position, text, classifier_code, resolution, answer, department, state)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		q.ID, q.MeetingID, q.Position, q.Text, q.ClassifierCode, int16(q.Resolution), q.Answer, q.Department, int16(q.State))
	return err
}

const questionCols = `id, meeting_id, position, text, classifier_code, resolution, answer, department, state,
	appeal_id, appeal_number, appeal_register_time, appeal_answer_time, appeal_result, appeal_on_time`

func scanQuestion(row pgx.Row) (domain.Question, error) {
	var q domain.Question
	var resolution, state, result int16
	err := row.Scan(&q.ID, &q.MeetingID, &q.Position, &q.Text, &q.ClassifierCode, &resolution, &q.Answer, &q.Department,
		&state, &q.Appeal, &q.AppealNumber, &q.AppealRegisterTime, &q.AppealAnswerTime, &result, &q.AppealOnTime)
	q.Resolution, q.State, q.AppealResult = domain.Resolution(resolution), domain.QuestionState(state), int(result)
	return q, err
}

func (r *Repository) Questions(ctx context.Context, meeting uuid.UUID) ([]domain.Question, error) {
	rows, err := r.pool.Query(ctx, `SELECT `+questionCols+` FROM questions WHERE meeting_id = $1 ORDER BY position`, meeting)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Question
	for rows.Next() {
		q, err := scanQuestion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// --- the change log ---

func addChange(ctx context.Context, tx pgx.Tx, c app.Change) error {
	var plan any
	if c.Plan != nil {
		plan = c.Plan.String()
	}
	_, err := tx.Exec(ctx, `INSERT INTO changes (time, actor, actor_name, kind, meeting_id, meeting_topic, plan_id, plan_revision, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		c.Time, c.Actor.Login, c.Actor.Name, int16(c.Kind), c.Meeting, c.MeetingTopic, plan, c.PlanRevision, c.Note)
	return err
}

func (r *Repository) Changes(ctx context.Context, q app.ChangeQuery) ([]app.Change, error) {
	where := []string{"id > @after"}
	args := pgx.NamedArgs{"after": q.AfterID, "limit": q.Limit}
	if q.Plan != nil {
		where, args["plan"] = append(where, "plan_id = @plan"), q.Plan.String()
	}
	if q.Meeting != nil {
		where, args["meeting"] = append(where, "meeting_id = @meeting"), *q.Meeting
	}
	if q.AfterApproval {
		where = append(where, "plan_revision > 0")
	}
	rows, err := r.pool.Query(ctx, `SELECT id, time, actor, actor_name, kind, meeting_id, meeting_topic, plan_id, plan_revision, note
		FROM changes WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT @limit`, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Change
	for rows.Next() {
		var c app.Change
		var kind int16
		var plan *string
		if err := rows.Scan(&c.ID, &c.Time, &c.Actor.Login, &c.Actor.Name, &kind, &c.Meeting, &c.MeetingTopic, &plan, &c.PlanRevision, &c.Note); err != nil {
			return nil, err
		}
		c.Kind = domain.ChangeKind(kind)
		if plan != nil {
			id, err := domain.ParsePlanID(*plan)
			if err != nil {
				return nil, err
			}
			c.Plan = &id
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// --- appeals' answers ---

func (r *Repository) LinkAppeal(ctx context.Context, atx app.Tx, l app.AppealLink) (bool, error) {
	tx, ok := atx.(pgx.Tx)
	if !ok {
		return false, fmt.Errorf("LinkAppeal: %T is not a pgx.Tx", atx)
	}
	q, err := scanQuestion(tx.QueryRow(ctx, `SELECT `+questionCols+` FROM questions WHERE id = $1 AND meeting_id = $2 FOR UPDATE`, l.Question, l.Meeting))
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if q.Resolution != domain.ResolutionFollowUp {
		return false, nil
	}
	next := q
	next.Appeal = &l.Appeal
	if l.Number != "" {
		next.AppealNumber = l.Number
	}
	if l.RegisterTime != nil {
		next.AppealRegisterTime = l.RegisterTime
		next.State = max(next.State, domain.QuestionAppealRegistered)
	}
	if l.AnswerTime != nil {
		next.AppealAnswerTime, next.AppealResult, next.AppealOnTime = l.AnswerTime, l.Result, l.OnTime
		next.State = domain.QuestionAppealAnswered
	}
	if sameLink(q, next) {
		return true, nil // a repeated event: nothing changes
	}
	if _, err := tx.Exec(ctx, `UPDATE questions SET appeal_id = $2, appeal_number = $3, appeal_register_time = $4,
		appeal_answer_time = $5, appeal_result = $6, appeal_on_time = $7, state = $8 WHERE id = $1`,
		q.ID, next.Appeal, next.AppealNumber, next.AppealRegisterTime, next.AppealAnswerTime, int16(next.AppealResult),
		next.AppealOnTime, int16(next.State)); err != nil {
		return false, err
	}
	// The meeting shows its questions: its etag changes with them.
	_, err = tx.Exec(ctx, `UPDATE meetings SET version = version + 1 WHERE id = $1`, q.MeetingID)
	return true, err
}

func sameLink(a, b domain.Question) bool {
	eqTime := func(x, y *time.Time) bool { return (x == nil) == (y == nil) && (x == nil || x.Equal(*y)) }
	return a.Appeal != nil && *a.Appeal == *b.Appeal && a.AppealNumber == b.AppealNumber && a.State == b.State &&
		eqTime(a.AppealRegisterTime, b.AppealRegisterTime) && eqTime(a.AppealAnswerTime, b.AppealAnswerTime) &&
		a.AppealResult == b.AppealResult && a.AppealOnTime == b.AppealOnTime
}

// --- the reminder job ---

func (r *Repository) RemindReports(ctx context.Context, day string, now time.Time, limit int) (int, error) {
	n := 0
	err := pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		// The primary key (meeting_id, day) makes a concurrent replica's insert of the same
		// reminder wait for this transaction and then do nothing: each reminder goes out once.
		rows, err := tx.Query(ctx, `WITH due AS (
				INSERT INTO report_reminders (meeting_id, day, create_time)
				SELECT m.id, $1::date, $2 FROM meetings m
				WHERE m.state IN (1, 4) AND m.end_time < $2
				  AND NOT EXISTS (SELECT 1 FROM report_reminders r WHERE r.meeting_id = m.id AND r.day = $1::date)
				ORDER BY m.end_time LIMIT $3
				ON CONFLICT DO NOTHING
				RETURNING meeting_id)
			SELECT m.id, m.department, m.organiser, m.start_time FROM due JOIN meetings m ON m.id = due.meeting_id`, day, now, limit)
		if err != nil {
			return err
		}
		var due []app.Reminder
		for rows.Next() {
			var rem app.Reminder
			if err := rows.Scan(&rem.Meeting, &rem.Department, &rem.Organiser, &rem.Start); err != nil {
				rows.Close()
				return err
			}
			due = append(due, rem)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		slices.SortFunc(due, func(a, b app.Reminder) int { return a.Start.Compare(b.Start) })
		for _, rem := range due {
			if err := publish(ctx, tx, SubjectMeetingReportDue, &outreachv1.MeetingReportDue{
				Meeting: domain.MeetingName(rem.Meeting), Department: rem.Department, Organiser: rem.Organiser,
				StartTime: timestamppb.New(rem.Start), ReminderDay: day,
			}); err != nil {
				return err
			}
		}
		n = len(due)
		return nil
	})
	return n, err
}
