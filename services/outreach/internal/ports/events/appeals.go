// Package events handles the domain events the outreach service consumes.
package events

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/app"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
)

// Subjects of the appeals events outreach follows (payloads: appealsv1 events.proto).
var (
	SubjectAppealRegistered = natsx.Subject("appeals", "appeal_registered")
	SubjectAppealAnswered   = natsx.Subject("appeals", "appeal_answered")
)

// Appeals links meeting questions to their appeals: AppealRegistered and AppealAnswered
// whose source is a meeting question update it; every other appeal is skipped. The inbox
// absorbs redeliveries, and a repeated event changes nothing.
func Appeals(svc *app.Service) func(context.Context, pgx.Tx, jetstream.Msg) error {
	return func(ctx context.Context, tx pgx.Tx, msg jetstream.Msg) error {
		switch msg.Subject() {
		case SubjectAppealRegistered:
			var e appealsv1.AppealRegistered
			if err := proto.Unmarshal(msg.Data(), &e); err != nil {
				return fmt.Errorf("decode AppealRegistered: %w", err)
			}
			if e.GetSource() == "" {
				return nil
			}
			id, err := appealID(e.GetAppeal())
			if err != nil {
				return err
			}
			return svc.AppealRegistered(ctx, tx, e.GetSource(), id, e.GetRegistrationNumber(), e.GetRegisterTime().AsTime())
		case SubjectAppealAnswered:
			var e appealsv1.AppealAnswered
			if err := proto.Unmarshal(msg.Data(), &e); err != nil {
				return fmt.Errorf("decode AppealAnswered: %w", err)
			}
			if e.GetSource() == "" {
				return nil
			}
			id, err := appealID(e.GetAppeal())
			if err != nil {
				return err
			}
			return svc.AppealAnswered(ctx, tx, e.GetSource(), id, e.GetRegistrationNumber(), e.GetAnswerTime().AsTime(),
				int(e.GetResult()), e.GetOnTime())
		}
		return nil
	}
}

func appealID(name string) (uuid.UUID, error) {
	id, err := uuid.Parse(strings.TrimPrefix(name, "appeals/"))
	if err != nil {
		return uuid.Nil, fmt.Errorf("appeal %q is not appeals/{uuid}", name)
	}
	return id, nil
}
