package appeals_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/demoyear"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/ports/grpcapi"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/service"
	"github.com/cityhall-khv/cityhall/services/platform/directory/directorytest"
	"github.com/cityhall-khv/cityhall/services/platform/svc/svctest"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

// demoYearHarness is the appeals service with the demo year 2017 loaded, and the generator's
// own copy of that year to check the analytics against.
type demoYearHarness struct {
	*svctest.Service
	client appealsv1.AppealServiceClient
	year   []demoyear.Appeal
	today  domain.Date
}

func startWithDemoYear(t *testing.T) *demoYearHarness {
	t.Helper()
	s := svctest.StartService(t, service.Spec, func(ns *testkit.NATSServer) { directorytest.SeedDirectory(t, ns.Connect(t)) })
	for _, d := range directorytest.Departments {
		directorytest.WaitDepartment(t, s.Pool, d.Code, d.Name)
	}
	ctx := context.Background()
	url := s.Pool.Config().ConnString()
	n, err := appeals.LoadDemoYear(ctx, url, 2017)
	if err != nil {
		t.Fatal(err)
	}
	if n != appeals.DemoYearAppeals {
		t.Fatalf("loaded %d appeals, want %d", n, appeals.DemoYearAppeals)
	}
	return &demoYearHarness{Service: s, client: appealsv1.NewAppealServiceClient(s.Conn),
		year: demoyear.Generate(2017, time.Now()), today: domain.DateOf(time.Now())}
}

func onDay(y int, m time.Month, d int) domain.Date { return domain.Date{Year: y, Month: m, Day: d} }

func statsDate(d domain.Date) *date.Date {
	return &date.Date{Year: int32(d.Year), Month: int32(d.Month), Day: int32(d.Day)}
}

func (h *demoYearHarness) statistics(t *testing.T, login string, from, to domain.Date, departments ...string) *appealsv1.AppealStatistics {
	t.Helper()
	st, err := h.client.GetAppealStatistics(h.As(t, login), &appealsv1.GetAppealStatisticsRequest{
		StartDate: statsDate(from), EndDate: statsDate(to), Departments: departments})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// statRows keeps the rows with appeals, by key, as the tally counts them.
func statRows(rs []*appealsv1.StatisticsRow) map[string]demoyear.Counts {
	out := map[string]demoyear.Counts{}
	for _, r := range rs {
		if r.GetAppeals() > 0 {
			out[r.GetKey()] = demoyear.Counts{Appeals: int(r.GetAppeals()), Answered: int(r.GetAnswered()), AnsweredOnTime: int(r.GetAnsweredOnTime())}
		}
	}
	return out
}

func statNonZero(m map[string]demoyear.Counts) map[string]demoyear.Counts {
	out := map[string]demoyear.Counts{}
	for k, v := range m {
		if v.Appeals > 0 {
			out[k] = v
		}
	}
	return out
}

var statChannelKeys = map[domain.Channel]string{
	domain.ChannelLetter: "CHANNEL_LETTER", domain.ChannelElectronic: "CHANNEL_ELECTRONIC",
	domain.ChannelPersonalReception: "CHANNEL_PERSONAL_RECEPTION", domain.ChannelPhone: "CHANNEL_PHONE",
	domain.ChannelOutreachMeeting: "CHANNEL_OUTREACH_MEETING", domain.ChannelFeedbackPlatform: "CHANNEL_FEEDBACK_PLATFORM",
}

// matchTally compares the statistics with the generator's tally of the same appeals.
func matchTally(t *testing.T, what string, st *appealsv1.AppealStatistics, want demoyear.Tally) {
	t.Helper()
	got := demoyear.Counts{Appeals: int(st.GetAppeals()), Answered: int(st.GetAnswered()), AnsweredOnTime: int(st.GetAnsweredOnTime())}
	if got != want.Counts || int(st.GetRepeated()) != want.Repeated || int(st.GetOverdue()) != want.Overdue {
		t.Errorf("%s: totals %+v repeated %d overdue %d, want %+v repeated %d overdue %d", what,
			got, st.GetRepeated(), st.GetOverdue(), want.Counts, want.Repeated, want.Overdue)
	}
	near := func(name string, got, want float64) {
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: %s %v, want %v", what, name, got, want)
		}
	}
	share := func(a, b int) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	near("on time share", st.GetOnTimeShare(), share(want.AnsweredOnTime, want.Answered))
	near("average days to answer", st.GetAverageDaysToAnswer(), share(want.DaysToAnswer, want.Answered))
	near("repeated share", st.GetRepeatedShare(), share(want.Repeated, want.Appeals))
	channels := map[string]demoyear.Counts{}
	for ch, c := range want.ByChannel {
		channels[statChannelKeys[ch]] = c
	}
	for _, c := range []struct {
		name string
		got  []*appealsv1.StatisticsRow
		want map[string]demoyear.Counts
	}{
		{"by_section", st.GetBySection(), want.BySection},
		{"by_topic", st.GetByTopic(), want.ByTopic},
		{"by_question", st.GetByQuestion(), want.ByQuestion},
		{"by_district", st.GetByDistrict(), want.ByDistrict},
		{"by_department", st.GetByDepartment(), want.ByDepartment},
		{"by_channel", st.GetByChannel(), channels},
	} {
		got, want := statRows(c.got), statNonZero(c.want)
		if len(got) != len(want) {
			t.Errorf("%s: %s has %d rows with appeals, want %d", what, c.name, len(got), len(want))
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s: %s[%q] = %+v, want %+v", what, c.name, k, got[k], w)
			}
		}
	}
}

// The "analytics and exports match the demo year": the statistics of the loaded year,
// of a month and of a department equal the generator's own tallies.
func TestStatisticsMatchTheDemoYear(t *testing.T) {
	h := startWithDemoYear(t)
	jan1, dec31 := onDay(2017, 1, 1), onDay(2017, 12, 31)

	t.Run("loaded as the workflow writes it", func(t *testing.T) {
		if n := h.Count(t, "SELECT count(*) FROM appeals"); n != demoyear.AppealsPerYear {
			t.Fatalf("%d appeals stored", n)
		}
		again, err := appeals.LoadDemoYear(context.Background(), h.Pool.Config().ConnString(), 2017)
		if err != nil || again != 0 || h.Count(t, "SELECT count(*) FROM appeals") != demoyear.AppealsPerYear {
			t.Fatalf("second load: %d, %v", again, err)
		}
		if n := h.Count(t, "SELECT last FROM registration_counters WHERE year = 2017"); n != demoyear.AppealsPerYear {
			t.Fatalf("registration counter %d", n)
		}
		if n := h.Count(t, "SELECT count(*) FROM applicants WHERE full_name NOT LIKE 'Житель _____'"); n != 0 {
			t.Fatalf("%d applicants without a synthetic name", n)
		}
		if n := h.Count(t, "SELECT count(DISTINCT appeal_id) FROM appeal_history WHERE action = 'registered'"); n != demoyear.AppealsPerYear {
			t.Fatalf("%d appeals with a registration in their history", n)
		}
		sections := 0
		for _, a := range h.year {
			seen := map[string]bool{}
			for _, c := range a.ClassifierCodes {
				seen[c[:4]] = true
			}
			sections += len(seen)
		}
		if n := h.Count(t, "SELECT coalesce(sum(appeals), 0) FROM registrations_daily"); n != sections {
			t.Fatalf("daily registrations count %d, want %d", n, sections)
		}
		// The API reads them back: an answered appeal, a forwarded one, a repeated one.
		ctx := h.As(t, "mayor")
		for _, pick := range []func(demoyear.Appeal) bool{
			func(a demoyear.Appeal) bool { return a.State == domain.StateAnswered && a.ExtensionDays > 0 },
			func(a demoyear.Appeal) bool { return a.State == domain.StateForwarded },
			func(a demoyear.Appeal) bool { return a.Repeated },
			func(a demoyear.Appeal) bool { return a.State == domain.StateInProgress },
			func(a demoyear.Appeal) bool { return a.AnswerOral },
		} {
			i := slices.IndexFunc(h.year, pick)
			want := h.year[i]
			got, err := h.client.GetAppeal(ctx, &appealsv1.GetAppealRequest{Name: "appeals/" + want.ID.String()})
			if err != nil {
				t.Fatal(err)
			}
			if got.GetRegistrationNumber() != want.RegistrationNumber || int(got.GetState()) != int(want.State) ||
				got.GetRepeated() != want.Repeated || len(got.GetPreviousAppeals()) != len(want.PreviousAppeal) ||
				int(got.GetAnswerDueDate().GetDay()) != want.AnswerDueDate.Day || got.GetDepartment() != want.Department {
				t.Errorf("GetAppeal %s: %v", want.RegistrationNumber, got)
			}
			if want.State == domain.StateAnswered && (got.GetAnswer().GetOnTime() != want.AnswerOnTime || got.GetAnswer().GetOral() != want.AnswerOral) {
				t.Errorf("%s: answer %v, want on time %v, oral %v", want.RegistrationNumber, got.GetAnswer(), want.AnswerOnTime, want.AnswerOral)
			}
			if want.AnswerOral && !got.GetReceptionCard().GetOralAnswerConsented() {
				t.Errorf("%s: oral answer without the consent on the reception card: %v", want.RegistrationNumber, got.GetReceptionCard())
			}
		}
	})

	t.Run("the year", func(t *testing.T) {
		st := h.statistics(t, "mayor", jan1, dec31)
		want := demoyear.Count(h.year, jan1, dec31, h.today, nil, nil)
		if int(st.GetAppeals()) != demoyear.AppealsPerYear {
			t.Fatalf("%d appeals in 2017", st.GetAppeals())
		}
		matchTally(t, "2017", st, want)
		if st.GetBySection()[0].GetKey() != "0005.0000.0000.0000" || st.GetBySection()[0].GetDisplayName() != "Жилищно-коммунальная сфера" {
			t.Errorf("the largest section is %v", st.GetBySection()[0])
		}
		if !slices.IsSortedFunc(st.GetByQuestion(), func(a, b *appealsv1.StatisticsRow) int { return cmp.Compare(a.GetKey(), b.GetKey()) }) {
			t.Error("by_question is not in code order")
		}
		for _, r := range st.GetByQuestion() {
			if strings.Count(r.GetKey(), ".") != 3 || r.GetDisplayName() == "" {
				t.Errorf("question row %v", r)
			}
		}
		if d := st.GetByDistrict(); len(d) < 5 || d[0].GetKey() != "ZHD" || d[0].GetDisplayName() == "" {
			t.Errorf("districts %v", d)
		}
		if c := st.GetByChannel(); len(c) != 6 || c[0].GetKey() != "CHANNEL_LETTER" || c[0].GetDisplayName() == "" {
			t.Errorf("channels %v", c)
		}
		for _, r := range st.GetByDepartment() {
			if r.GetKey() == "KUR-ZHD" && r.GetDisplayName() != directorytest.Departments[0].Name {
				t.Errorf("department name %q", r.GetDisplayName())
			}
		}
		// No appeals in 2016: every topic of 2017 grew from nothing.
		if g := st.GetGrowingTopics(); len(g) != 10 || g[0].GetPreviousAppeals() != 0 {
			t.Errorf("growing topics %v", g)
		}
	})

	t.Run("a month and its growing topics", func(t *testing.T) {
		from, to := onDay(2017, 4, 1), onDay(2017, 4, 30)
		st := h.statistics(t, "vicemayor", from, to)
		matchTally(t, "April", st, demoyear.Count(h.year, from, to, h.today, nil, nil))
		cur := demoyear.Count(h.year, from, to, h.today, nil, nil).ByTheme
		prev := demoyear.Count(h.year, onDay(2017, 3, 2), onDay(2017, 3, 31), h.today, nil, nil).ByTheme
		type growth struct {
			code        string
			now, before int
			g           float64
		}
		var want []growth
		for code, c := range cur {
			if c.Appeals >= 5 && c.Appeals > prev[code].Appeals {
				want = append(want, growth{code, c.Appeals, prev[code].Appeals,
					float64(c.Appeals-prev[code].Appeals) / float64(max(prev[code].Appeals, 1))})
			}
		}
		slices.SortFunc(want, func(a, b growth) int {
			return cmp.Or(cmp.Compare(b.g, a.g), cmp.Compare(b.now-b.before, a.now-a.before), cmp.Compare(a.code, b.code))
		})
		want = want[:min(len(want), 10)]
		got := st.GetGrowingTopics()
		if len(got) != len(want) || len(got) == 0 {
			t.Fatalf("%d growing topics, want %d", len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			if g.GetCode() != w.code || int(g.GetAppeals()) != w.now || int(g.GetPreviousAppeals()) != w.before ||
				math.Abs(g.GetGrowth()-w.g) > 1e-9 || g.GetDisplayName() == "" {
				t.Errorf("growing topic %d: %v, want %+v", i, g, w)
			}
		}
		t.Logf("April 2017 grew fastest: %s %q %d→%d", got[0].GetCode(), got[0].GetDisplayName(), got[0].GetPreviousAppeals(), got[0].GetAppeals())
	})

	t.Run("a department sees its own", func(t *testing.T) {
		st := h.statistics(t, "clerk.zhd", jan1, dec31)
		matchTally(t, "clerk.zhd", st, demoyear.Count(h.year, jan1, dec31, h.today, []string{"KUR-ZHD"}, nil))
		// Her own, and those other departments lead with hers as co-executor.
		if st.GetByDepartment()[0].GetKey() != "KUR-ZHD" || st.GetAppeals() <= st.GetByDepartment()[0].GetAppeals() {
			t.Errorf("clerk.zhd: by department %v", st.GetByDepartment())
		}
		// Asking for another department's appeals gives only those co-executed with her own.
		st = h.statistics(t, "clerk.zhd", jan1, dec31, "UDVB")
		matchTally(t, "clerk.zhd asking for UDVB", st, demoyear.Count(h.year, jan1, dec31, h.today, []string{"KUR-ZHD"}, []string{"UDVB"}))
		st = h.statistics(t, "mayor", jan1, dec31, "UDVB", "UT")
		matchTally(t, "mayor asking for UDVB and UT", st, demoyear.Count(h.year, jan1, dec31, h.today, nil, []string{"UDVB", "UT"}))
	})

	t.Run("a period without appeals", func(t *testing.T) {
		st := h.statistics(t, "mayor", onDay(2010, 1, 1), onDay(2010, 12, 31))
		if st.GetAppeals() != 0 || len(st.GetBySection()) != 0 || len(st.GetByChannel()) != 6 || len(st.GetByDistrict()) != 5 ||
			st.GetOnTimeShare() != 0 || len(st.GetGrowingTopics()) != 0 {
			t.Fatalf("empty year: %v", st)
		}
	})

	t.Run("exports", func(t *testing.T) {
		checkExports(t, h, jan1, dec31)
	})
}

func checkExports(t *testing.T, h *demoYearHarness, from, to domain.Date) {
	ctx := h.As(t, "mayor")
	st := h.statistics(t, "mayor", from, to)
	var header metadata.MD
	body, err := h.client.ExportAppealStatistics(ctx, &appealsv1.ExportAppealStatisticsRequest{
		StartDate: statsDate(from), EndDate: statsDate(to), Format: appealsv1.ExportFormat_EXPORT_FORMAT_CSV}, grpc.Header(&header))
	if err != nil {
		t.Fatal(err)
	}
	if body.GetContentType() != "text/csv; charset=utf-8" || !bytes.HasPrefix(body.GetData(), []byte("\uFEFF")) {
		t.Fatalf("CSV: content type %q, starts %q", body.GetContentType(), body.GetData()[:8])
	}
	if cd := header.Get("content-disposition"); len(cd) != 1 || cd[0] != `attachment; filename="appeal-statistics_2017-01-01_2017-12-31.csv"` {
		t.Fatalf("content-disposition %v", cd)
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body.GetData(), []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if records[0][0] != "Код вопроса" || records[0][2] != "Поступило обращений" || records[0][4] != "Из них в срок" {
		t.Fatalf("CSV header %v", records[0])
	}
	questions := st.GetByQuestion()
	if len(records) != len(questions)+2 {
		t.Fatalf("CSV has %d rows for %d questions", len(records), len(questions))
	}
	num := func(s string) int32 {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("CSV: %q is not a number", s)
		}
		return int32(n)
	}
	for i, q := range questions {
		r := records[i+1]
		if r[0] != q.GetKey() || r[1] != q.GetDisplayName() || num(r[2]) != q.GetAppeals() || num(r[3]) != q.GetAnswered() || num(r[4]) != q.GetAnsweredOnTime() {
			t.Fatalf("CSV row %v, want %v", r, q)
		}
		// The results add up: every appeal is answered, forwarded, left, returned, ended or in work.
		if sum := num(r[3]) + num(r[8]) + num(r[9]) + num(r[10]) + num(r[11]) + num(r[12]); sum != num(r[2]) {
			t.Fatalf("CSV row %v: outcomes add up to %d", r, sum)
		}
		if num(r[5])+num(r[6])+num(r[7]) != num(r[3]) {
			t.Fatalf("CSV row %v: results do not add up to the answers", r)
		}
	}
	total := records[len(records)-1]
	if total[0] != grpcapi.TotalKey || num(total[2]) != st.GetAppeals() || num(total[3]) != st.GetAnswered() ||
		num(total[4]) != st.GetAnsweredOnTime() || num(total[13]) != st.GetOverdue() || num(total[14]) != st.GetRepeated() {
		t.Fatalf("CSV total %v, statistics %d/%d/%d overdue %d repeated %d", total, st.GetAppeals(), st.GetAnswered(),
			st.GetAnsweredOnTime(), st.GetOverdue(), st.GetRepeated())
	}

	body, err = h.client.ExportAppealStatistics(ctx, &appealsv1.ExportAppealStatisticsRequest{
		StartDate: statsDate(from), EndDate: statsDate(to), Format: appealsv1.ExportFormat_EXPORT_FORMAT_XLSX}, grpc.Header(&header))
	if err != nil {
		t.Fatal(err)
	}
	if body.GetContentType() != grpcapi.ContentTypeXLSX || !strings.HasSuffix(header.Get("content-disposition")[0], `.xlsx"`) {
		t.Fatalf("XLSX: %q, %v", body.GetContentType(), header.Get("content-disposition"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(body.GetData()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, grpcapi.Sheets) {
		t.Fatalf("sheets %v, want %v", got, grpcapi.Sheets)
	}
	cell := func(sheet, axis string) string {
		v, err := f.GetCellValue(sheet, axis, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if cell("Сводка", "A5") != "Поступило обращений" || num(cell("Сводка", "B5")) != st.GetAppeals() || num(cell("Сводка", "B6")) != st.GetAnswered() {
		t.Fatalf("summary: %s %s", cell("Сводка", "A5"), cell("Сводка", "B5"))
	}
	last := len(questions) + 2
	if cell("По вопросам (ССТУ)", "A"+strconv.Itoa(last)) != grpcapi.TotalKey || num(cell("По вопросам (ССТУ)", "C"+strconv.Itoa(last))) != st.GetAppeals() ||
		cell("По вопросам (ССТУ)", "A2") != questions[0].GetKey() {
		t.Fatal("question sheet does not end with the total")
	}
	for sheet, want := range map[string][]*appealsv1.StatisticsRow{
		"По разделам": st.GetBySection(), "По тематикам": st.GetByTopic(), "По районам": st.GetByDistrict(),
		"По подразделениям": st.GetByDepartment(), "По каналам": st.GetByChannel(),
	} {
		sheetRows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(sheetRows) != len(want)+1 || sheetRows[0][2] != "Обращений" {
			t.Fatalf("%s: %d rows for %d", sheet, len(sheetRows), len(want))
		}
		for i, w := range want {
			if sheetRows[i+1][0] != w.GetKey() || num(sheetRows[i+1][2]) != w.GetAppeals() {
				t.Fatalf("%s row %d: %v, want %v", sheet, i, sheetRows[i+1], w)
			}
		}
	}
}

func TestStatisticsRequests(t *testing.T) {
	s := svctest.StartService(t, service.Spec, func(ns *testkit.NATSServer) { directorytest.SeedDirectory(t, ns.Connect(t)) })
	for _, d := range directorytest.Departments {
		directorytest.WaitDepartment(t, s.Pool, d.Code, d.Name)
	}
	client := appealsv1.NewAppealServiceClient(s.Conn)
	ctx := s.As(t, "clerk.zhd")
	ask := func(from, to *date.Date) error {
		_, err := client.GetAppealStatistics(ctx, &appealsv1.GetAppealStatisticsRequest{StartDate: from, EndDate: to})
		return err
	}
	testkit.ExpectViolation(t, ask(nil, statsDate(onDay(2026, 1, 31))), "start_date")
	testkit.ExpectViolation(t, ask(statsDate(onDay(2026, 2, 1)), statsDate(onDay(2026, 1, 31))), "end_date")
	testkit.ExpectViolation(t, ask(statsDate(onDay(2026, 2, 30)), statsDate(onDay(2026, 3, 31))), "start_date")
	testkit.ExpectViolation(t, ask(statsDate(onDay(2000, 1, 1)), statsDate(onDay(2026, 1, 1))), "end_date")
	if _, err := client.GetAppealStatistics(context.Background(), &appealsv1.GetAppealStatisticsRequest{
		StartDate: statsDate(onDay(2026, 1, 1)), EndDate: statsDate(onDay(2026, 1, 31))}); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("without a token: %v", err)
	}
	_, err := client.ExportAppealStatistics(ctx, &appealsv1.ExportAppealStatisticsRequest{
		StartDate: statsDate(onDay(2026, 1, 1)), EndDate: statsDate(onDay(2026, 1, 31))})
	testkit.ExpectViolation(t, err, "format")

	// An appeal registered now counts today, for its department and for the city.
	created, err := client.CreateAppeal(ctx, &appealsv1.CreateAppealRequest{Appeal: &appealsv1.Appeal{
		Channel: appealsv1.Channel_CHANNEL_PHONE, Text: "Не убран снег во дворе", ClassifierCodes: []string{"0003.0009.0097.0694"}, District: "ZHD",
	}, Applicant: &appealsv1.Applicant{FullName: "Житель 00001", PostalAddress: "г. Хабаровск, демонстрационный адрес № 00001"}})
	if err != nil {
		t.Fatal(err)
	}
	today := domain.DateOf(created.GetRegisterTime().AsTime())
	for _, login := range []string{"clerk.zhd", "mayor"} {
		st, err := client.GetAppealStatistics(s.As(t, login), &appealsv1.GetAppealStatisticsRequest{StartDate: statsDate(today), EndDate: statsDate(today)})
		if err != nil {
			t.Fatal(err)
		}
		if st.GetAppeals() != 1 || st.GetByChannel()[3].GetAppeals() != 1 || st.GetByQuestion()[0].GetKey() != "0003.0009.0097.0694" ||
			st.GetByDistrict()[0].GetAppeals() != 1 || st.GetByDepartment()[0].GetKey() != "KUR-ZHD" {
			t.Fatalf("%s: %v", login, st)
		}
	}
	st, err := client.GetAppealStatistics(s.As(t, "clerk.ind"), &appealsv1.GetAppealStatisticsRequest{StartDate: statsDate(today), EndDate: statsDate(today)})
	if err != nil || st.GetAppeals() != 0 {
		t.Fatalf("clerk.ind sees %d appeals of KUR-ZHD (%v)", st.GetAppeals(), err)
	}
}
