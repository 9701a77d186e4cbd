package grpcapi

import (
	"context"
	"fmt"

	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
)

// Content types of the exports.
const (
	ContentTypeCSV  = "text/csv; charset=utf-8"
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// ContentDispositionHeader is the gRPC response header naming the export's file; the gateway
// forwards it as the HTTP Content-Disposition header.
const ContentDispositionHeader = "content-disposition"

func (s *Server) GetAppealStatistics(ctx context.Context, req *appealsv1.GetAppealStatisticsRequest) (*appealsv1.AppealStatistics, error) {
	st, err := s.svc.AppealStatistics(ctx, statisticsQuery(req.GetStartDate(), req.GetEndDate(), req.GetDepartments()))
	if err != nil {
		return nil, err
	}
	return statisticsToProto(st), nil
}

func (s *Server) ExportAppealStatistics(ctx context.Context, req *appealsv1.ExportAppealStatisticsRequest) (*httpbody.HttpBody, error) {
	var contentType, ext string
	switch req.GetFormat() {
	case appealsv1.ExportFormat_EXPORT_FORMAT_CSV:
		contentType, ext = ContentTypeCSV, "csv"
	case appealsv1.ExportFormat_EXPORT_FORMAT_XLSX:
		contentType, ext = ContentTypeXLSX, "xlsx"
	default:
		return nil, app.Errors.Invalid("INVALID_FORMAT", "format must be EXPORT_FORMAT_CSV or EXPORT_FORMAT_XLSX",
			apierr.FieldViolation{Field: "format", Description: "CSV or XLSX"})
	}
	st, err := s.svc.AppealStatistics(ctx, statisticsQuery(req.GetStartDate(), req.GetEndDate(), req.GetDepartments()))
	if err != nil {
		return nil, err
	}
	var data []byte
	if ext == "csv" {
		data, err = StatisticsCSV(st)
	} else {
		data, err = StatisticsXLSX(st)
	}
	if err != nil {
		return nil, fmt.Errorf("export statistics: %w", err)
	}
	// Outside a gRPC call (a direct call in a benchmark) there is no header to set.
	_ = grpc.SetHeader(ctx, metadata.Pairs(ContentDispositionHeader,
		fmt.Sprintf(`attachment; filename="%s"`, ExportFilename(st, ext))))
	return &httpbody.HttpBody{ContentType: contentType, Data: data}, nil
}

// ExportFilename names an export, e.g. appeal-statistics_2025-01-01_2025-12-31.xlsx.
func ExportFilename(st app.Statistics, ext string) string {
	return fmt.Sprintf("appeal-statistics_%s_%s.%s", st.From, st.To, ext)
}

func statisticsQuery(from, to *date.Date, departments []string) app.StatisticsQuery {
	q := app.StatisticsQuery{Departments: departments}
	if from != nil {
		q.From = DateFromProto(from)
	}
	if to != nil {
		q.To = DateFromProto(to)
	}
	return q
}

func statisticsToProto(st app.Statistics) *appealsv1.AppealStatistics {
	t := st.Total
	out := &appealsv1.AppealStatistics{
		StartDate:           dateToProto(st.From),
		EndDate:             dateToProto(st.To),
		Appeals:             int32(t.Appeals),
		Answered:            int32(t.Answered),
		AnsweredOnTime:      int32(t.AnsweredOnTime),
		OnTimeShare:         t.OnTimeShare(),
		AverageDaysToAnswer: t.AverageDaysToAnswer(),
		Repeated:            int32(t.Repeated),
		RepeatedShare:       t.RepeatedShare(),
		Overdue:             int32(t.Overdue),
		BySection:           rowsToProto(st.BySection),
		ByTopic:             rowsToProto(st.ByTopic),
		ByDistrict:          rowsToProto(st.ByDistrict),
		ByDepartment:        rowsToProto(st.ByDepartment),
		ByChannel:           rowsToProto(st.ByChannel),
		ByQuestion:          rowsToProto(st.ByQuestion),
	}
	for _, g := range st.Growing {
		out.GrowingTopics = append(out.GrowingTopics, &appealsv1.TopicGrowth{
			Code: g.Code, DisplayName: g.Name, Appeals: int32(g.Appeals), PreviousAppeals: int32(g.Previous), Growth: g.Growth,
		})
	}
	return out
}

func rowsToProto(rows []app.Row) []*appealsv1.StatisticsRow {
	out := make([]*appealsv1.StatisticsRow, len(rows))
	for i, r := range rows {
		out[i] = &appealsv1.StatisticsRow{Key: r.Key, DisplayName: r.Name, Appeals: int32(r.Appeals),
			Answered: int32(r.Answered), AnsweredOnTime: int32(r.AnsweredOnTime)}
	}
	return out
}

// cityDate formats a day the Russian way, 31.12.2025.
func cityDate(d domain.Date) string { return fmt.Sprintf("%02d.%02d.%04d", d.Day, d.Month, d.Year) }
