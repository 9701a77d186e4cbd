package events

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	outreachv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/outreach/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
)

// SubjectQuestionReferred carries outreach's QuestionReferred on its OUTREACH stream.
var SubjectQuestionReferred = natsx.Subject("outreach", "question_referred")

// ReferredQuestions registers an appeal for each outreach QuestionReferred event, once per
// question (the inbox absorbs redeliveries; the source, republishes under new event ids).
func ReferredQuestions(svc *app.Service) func(context.Context, pgx.Tx, jetstream.Msg) error {
	return func(ctx context.Context, tx pgx.Tx, msg jetstream.Msg) error {
		var e outreachv1.QuestionReferred
		if err := proto.Unmarshal(msg.Data(), &e); err != nil {
			return fmt.Errorf("decode QuestionReferred: %w", err)
		}
		q := app.ReferredQuestion{
			Question: e.GetQuestion(), Department: e.GetDepartment(), District: e.GetDistrict(),
			ClassifierCode: e.GetClassifierCode(),
		}
		if e.GetRaiseTime() != nil {
			q.RaiseTime = e.GetRaiseTime().AsTime()
		}
		_, _, err := svc.RegisterMeetingQuestion(ctx, tx, q)
		return err
	}
}
