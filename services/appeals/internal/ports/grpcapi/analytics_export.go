package grpcapi

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
)

// The exports: a CSV shaped for the federal monthly report (one row per ССТУ classifier
// question with the results of consideration, then the total), and an XLSX workbook with the
// summary and every breakdown, for people.

// Sheets of the XLSX export, in order.
const (
	SheetSummary    = "Сводка"
	SheetSections   = "По разделам"
	SheetTopics     = "По тематикам"
	SheetQuestions  = "По вопросам (ССТУ)"
	SheetDistricts  = "По районам"
	SheetDepartment = "По подразделениям"
	SheetChannels   = "По каналам"
)

// Sheets lists the XLSX export's sheets in order.
var Sheets = []string{SheetSummary, SheetSections, SheetTopics, SheetQuestions, SheetDistricts, SheetDepartment, SheetChannels}

// TotalKey is the first cell of the total row of the question breakdown.
const TotalKey = "Итого"

// questionColumns are the federal report's columns per classifier question.
var questionColumns = []struct {
	title string
	value func(app.Figures) int
}{
	{"Поступило обращений", func(f app.Figures) int { return f.Appeals }},
	{"Дано ответов по существу", func(f app.Figures) int { return f.Answered }},
	{"Из них в срок", func(f app.Figures) int { return f.AnsweredOnTime }},
	{"Поддержано", func(f app.Figures) int { return f.Supported }},
	{"Разъяснено", func(f app.Figures) int { return f.Explained }},
	{"Не поддержано", func(f app.Figures) int { return f.NotSupported }},
	{"Направлено по компетенции", func(f app.Figures) int { return f.Forwarded }},
	{"Оставлено без ответа", func(f app.Figures) int { return f.LeftWithoutAnswer }},
	{"Возвращено", func(f app.Figures) int { return f.Returned }},
	{"Переписка прекращена", func(f app.Figures) int { return f.CorrespondenceEnded }},
	{"Находится на рассмотрении", func(f app.Figures) int { return f.InWork }},
	{"Из них с нарушением срока", func(f app.Figures) int { return f.Overdue }},
	{"Повторных", func(f app.Figures) int { return f.Repeated }},
}

// StatisticsCSV is the federal report shape: a header, one row per classifier question (code
// order), then the total («Итого», each appeal once however many questions it raises).
// UTF-8 with a byte order mark, so that Excel reads the Cyrillic; comma-separated (RFC 4180).
func StatisticsCSV(st app.Statistics) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	header := []string{"Код вопроса", "Вопрос"}
	for _, c := range questionColumns {
		header = append(header, c.title)
	}
	_ = w.Write(header)
	row := func(key, name string, f app.Figures) {
		r := []string{key, name}
		for _, c := range questionColumns {
			r = append(r, strconv.Itoa(c.value(f)))
		}
		_ = w.Write(r)
	}
	for _, q := range st.ByQuestion {
		row(q.Key, q.Name, q.Figures)
	}
	row(TotalKey, "Всего обращений за период", st.Total)
	w.Flush()
	return buf.Bytes(), w.Error()
}

// StatisticsXLSX is the workbook: the summary with the growing topics, then one sheet per
// breakdown, with Russian headers.
func StatisticsXLSX(st app.Statistics) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	x := &workbook{f: f}
	if err := f.SetSheetName(f.GetSheetName(0), SheetSummary); err != nil {
		return nil, err
	}
	for _, s := range Sheets[1:] {
		if _, err := f.NewSheet(s); err != nil {
			return nil, err
		}
	}
	x.styles()
	x.summary(st)
	x.breakdown(SheetSections, "Раздел", st.BySection)
	x.breakdown(SheetTopics, "Тематика", st.ByTopic)
	x.questions(st)
	x.breakdown(SheetDistricts, "Район", st.ByDistrict)
	x.breakdown(SheetDepartment, "Подразделение", st.ByDepartment)
	x.breakdown(SheetChannels, "Канал поступления", st.ByChannel)
	if x.err != nil {
		return nil, x.err
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// workbook writes cells and keeps the first error.
type workbook struct {
	f                                 *excelize.File
	err                               error
	title, header, total, pct, dec, n int
}

func (x *workbook) check(err error) {
	if x.err == nil && err != nil {
		x.err = err
	}
}

func (x *workbook) style(s *excelize.Style) int {
	id, err := x.f.NewStyle(s)
	x.check(err)
	return id
}

func (x *workbook) styles() {
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	x.title = x.style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	x.header = x.style(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	x.total = x.style(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border})
	x.pct = x.style(&excelize.Style{NumFmt: 10}) // 0.00%
	dec := "0.0"
	x.dec = x.style(&excelize.Style{CustomNumFmt: &dec})
	x.n = x.style(&excelize.Style{NumFmt: 3}) // #,##0
}

func (x *workbook) row(sheet string, r int, values ...any) {
	cell, err := excelize.CoordinatesToCellName(1, r)
	x.check(err)
	x.check(x.f.SetSheetRow(sheet, cell, &values))
}

func (x *workbook) styleRange(sheet string, c1, r1, c2, r2, style int) {
	from, err := excelize.CoordinatesToCellName(c1, r1)
	x.check(err)
	to, err := excelize.CoordinatesToCellName(c2, r2)
	x.check(err)
	x.check(x.f.SetCellStyle(sheet, from, to, style))
}

func (x *workbook) widths(sheet string, widths ...float64) {
	for i, w := range widths {
		col, err := excelize.ColumnNumberToName(i + 1)
		x.check(err)
		x.check(x.f.SetColWidth(sheet, col, col, w))
	}
}

// table writes a header at row r and freezes the rows above the data, with a filter.
func (x *workbook) table(sheet string, r int, header []string, rows int) {
	values := make([]any, len(header))
	for i, h := range header {
		values[i] = h
	}
	x.row(sheet, r, values...)
	x.styleRange(sheet, 1, r, len(header), r, x.header)
	x.check(x.f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: r, TopLeftCell: fmt.Sprintf("A%d", r+1), ActivePane: "bottomLeft"}))
	last, err := excelize.CoordinatesToCellName(len(header), r+max(rows, 1))
	x.check(err)
	x.check(x.f.AutoFilter(sheet, fmt.Sprintf("A%d:%s", r, last), nil))
}

func (x *workbook) period(sheet string, st app.Statistics, what string) {
	x.row(sheet, 1, fmt.Sprintf("%s за период с %s по %s", what, cityDate(st.From), cityDate(st.To)))
	x.check(x.f.SetCellStyle(sheet, "A1", "A1", x.title))
	scope := "все подразделения, доступные пользователю"
	if len(st.Departments) > 0 {
		scope = strings.Join(st.Departments, ", ")
	}
	x.row(sheet, 2, "Подразделения: "+scope)
}

func (x *workbook) summary(st app.Statistics) {
	s := SheetSummary
	t := st.Total
	x.period(s, st, "Обращения граждан")
	lines := []struct {
		name  string
		value any
		style int
	}{
		{"Поступило обращений", t.Appeals, x.n},
		{"Дано ответов по существу", t.Answered, x.n},
		{"из них в срок", t.AnsweredOnTime, x.n},
		{"Доля ответов в срок", t.OnTimeShare(), x.pct},
		{"Среднее время ответа, календарных дней", t.AverageDaysToAnswer(), x.dec},
		{"Поддержано", t.Supported, x.n},
		{"Разъяснено", t.Explained, x.n},
		{"Не поддержано", t.NotSupported, x.n},
		{"Направлено по компетенции", t.Forwarded, x.n},
		{"Оставлено без ответа", t.LeftWithoutAnswer, x.n},
		{"Возвращено заявителю", t.Returned, x.n},
		{"Переписка прекращена", t.CorrespondenceEnded, x.n},
		{"Находится на рассмотрении", t.InWork, x.n},
		{"из них с нарушением срока", t.Overdue, x.n},
		{"Повторных обращений", t.Repeated, x.n},
		{"Доля повторных обращений", t.RepeatedShare(), x.pct},
	}
	x.row(s, 4, "Показатель", "Значение")
	x.styleRange(s, 1, 4, 2, 4, x.header)
	for i, l := range lines {
		r := 5 + i
		x.row(s, r, l.name, l.value)
		x.styleRange(s, 2, r, 2, r, l.style)
	}
	r := 5 + len(lines) + 1
	x.row(s, r, "Быстрее всего растущие темы (к предыдущему периоду той же длины)")
	x.check(x.f.SetCellStyle(s, fmt.Sprintf("A%d", r), fmt.Sprintf("A%d", r), x.title))
	r++
	x.row(s, r, "Код темы", "Тема", "Обращений", "За предыдущий период", "Рост")
	x.styleRange(s, 1, r, 5, r, x.header)
	for _, g := range st.Growing {
		r++
		x.row(s, r, g.Code, g.Name, g.Appeals, g.Previous, g.Growth)
		x.styleRange(s, 5, r, 5, r, x.pct)
	}
	if len(st.Growing) == 0 {
		x.row(s, r+1, "—", "нет тем, число обращений по которым выросло")
	}
	x.widths(s, 44, 60, 12, 22, 10)
}

// breakdown is a sheet of rows with the figures people ask for most.
func (x *workbook) breakdown(sheet, what string, rows []app.Row) {
	header := []string{"Код", what, "Обращений", "Дано ответов по существу", "Из них в срок", "Доля в срок",
		"Среднее время ответа, дней", "Повторных", "На рассмотрении", "Из них с нарушением срока"}
	x.table(sheet, 1, header, len(rows))
	for i, r := range rows {
		f := r.Figures
		x.row(sheet, 2+i, r.Key, r.Name, f.Appeals, f.Answered, f.AnsweredOnTime, f.OnTimeShare(),
			f.AverageDaysToAnswer(), f.Repeated, f.InWork, f.Overdue)
	}
	if len(rows) > 0 {
		x.styleRange(sheet, 6, 2, 6, 1+len(rows), x.pct)
		x.styleRange(sheet, 7, 2, 7, 1+len(rows), x.dec)
	}
	x.widths(sheet, 22, 60, 12, 14, 12, 11, 14, 12, 14, 14)
}

// questions is the federal report's table, as in the CSV.
func (x *workbook) questions(st app.Statistics) {
	s := SheetQuestions
	header := []string{"Код вопроса", "Вопрос"}
	for _, c := range questionColumns {
		header = append(header, c.title)
	}
	x.table(s, 1, header, len(st.ByQuestion))
	write := func(r int, key, name string, f app.Figures) {
		values := []any{key, name}
		for _, c := range questionColumns {
			values = append(values, c.value(f))
		}
		x.row(s, r, values...)
	}
	for i, q := range st.ByQuestion {
		write(2+i, q.Key, q.Name, q.Figures)
	}
	last := 2 + len(st.ByQuestion)
	write(last, TotalKey, "Всего обращений за период", st.Total)
	x.styleRange(s, 1, last, len(header), last, x.total)
	widths := []float64{22, 70}
	for range questionColumns {
		widths = append(widths, 13)
	}
	x.widths(s, widths...)
}
