package grpcapi

import (
	"strconv"
	"time"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/types/known/timestamppb"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
)

func registrationOf(a *appealsv1.Appeal) domain.Registration {
	r := domain.Registration{
		Channel:         domain.Channel(a.GetChannel()),
		Text:            a.GetText(),
		ClassifierCodes: a.GetClassifierCodes(),
		District:        a.GetDistrict(),
		Department:      a.GetDepartment(),
		Collective:      a.GetCollective(),
		Signatories:     int(a.GetSignatories()),
	}
	if a.GetReceiveTime() != nil {
		r.ReceiveTime = a.GetReceiveTime().AsTime()
	}
	return r
}

func appealToProto(a domain.Appeal) *appealsv1.Appeal {
	return &appealsv1.Appeal{
		Name:                  "appeals/" + a.ID.String(),
		RegistrationNumber:    a.RegistrationNumber,
		ReceiveTime:           timestamppb.New(a.ReceiveTime),
		RegisterTime:          timestamppb.New(a.RegisterTime),
		Channel:               appealsv1.Channel(a.Channel),
		Text:                  a.Text,
		ClassifierCodes:       a.ClassifierCodes,
		District:              a.District,
		Department:            a.Department,
		DepartmentDisplayName: a.DepartmentName,
		Collective:            a.Collective,
		Signatories:           int32(a.Signatories),
		State:                 appealsv1.AppealState(a.State),
		RegisterDueDate:       dateToProto(a.RegisterDueDate),
		AnswerDueDate:         dateToProto(a.AnswerDueDate),
		UpdateTime:            timestamppb.New(a.UpdateTime),
		Etag:                  strconv.FormatInt(a.Version, 10),
	}
}

func dateToProto(d domain.Date) *date.Date {
	return &date.Date{Year: int32(d.Year), Month: int32(d.Month), Day: int32(d.Day)}
}

// DateFromProto is the inverse of dateToProto.
func DateFromProto(d *date.Date) domain.Date {
	return domain.Date{Year: int(d.GetYear()), Month: time.Month(d.GetMonth()), Day: int(d.GetDay())}
}
