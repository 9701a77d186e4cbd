package appeals_test

import (
	"slices"
	"testing"

	"google.golang.org/grpc/codes"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
)

func TestRepeatedAppealsWithinTwelveMonths(t *testing.T) {
	t.Parallel()
	h := start(t)
	by := func(p *appealsv1.Applicant, codes ...string) func(*appealsv1.CreateAppealRequest) {
		return func(r *appealsv1.CreateAppealRequest) {
			r.Applicant = p
			if len(codes) > 0 {
				r.Appeal.ClassifierCodes = codes
			}
		}
	}
	petrov := &appealsv1.Applicant{FullName: "Петров Пётр Петрович", PostalAddress: "680000, г. Хабаровск, ул. Ленина, д. 1, кв. 2"}
	first := h.register(t, "clerk.zhd", by(petrov))
	if first.GetRepeated() || len(first.GetPreviousAppeals()) != 0 {
		t.Fatalf("the first appeal is repeated: %v", first)
	}

	h.clock.Advance(100 * oneDay)
	// The same person, the address written otherwise; the same question among other codes.
	sameAgain := &appealsv1.Applicant{FullName: "ПЕТРОВ петр петрович", PostalAddress: "Хабаровск, улица Ленина, дом 1, квартира 2"}
	second := h.register(t, "clerk.zhd", by(sameAgain, "0003.0009.0097.0699", "0005.0005.0056.1149"))
	if !second.GetRepeated() || !slices.Equal(second.GetPreviousAppeals(), []string{first.GetName()}) {
		t.Fatalf("second: repeated %v, previous %v", second.GetRepeated(), second.GetPreviousAppeals())
	}
	// The same person on another question: not repeated.
	other := h.register(t, "clerk.zhd", by(petrov, "0005.0005.0056.1156"))
	if other.GetRepeated() {
		t.Fatal("another question counted as repeated")
	}
	// Another person at the same address: not repeated.
	wife := h.register(t, "clerk.zhd", by(&appealsv1.Applicant{FullName: "Петрова Анна Ивановна", PostalAddress: petrov.GetPostalAddress()}))
	if wife.GetRepeated() {
		t.Fatal("another applicant counted as repeated")
	}

	// Known by the phone only, or the e-mail only (a call, a portal message).
	h.clock.Advance(oneDay)
	byPhone := h.register(t, "clerk.zhd", by(&appealsv1.Applicant{Phone: "8 (914) 555-12-34"}))
	byPhoneAgain := h.register(t, "clerk.zhd", func(r *appealsv1.CreateAppealRequest) {
		r.Appeal.Channel = appealsv1.Channel_CHANNEL_PHONE
		r.Applicant = &appealsv1.Applicant{FullName: "Петров П. П.", Phone: "+7 914 555 1234"}
	})
	if !byPhoneAgain.GetRepeated() || !slices.Equal(byPhoneAgain.GetPreviousAppeals(), []string{byPhone.GetName()}) {
		t.Fatalf("by phone: %v %v", byPhoneAgain.GetRepeated(), byPhoneAgain.GetPreviousAppeals())
	}
	mail := &appealsv1.Applicant{FullName: "Петров Пётр Петрович", Email: "petrov@example.ru"}
	h.register(t, "clerk.zhd", by(mail))
	h.clock.Advance(oneDay)
	byMail := h.register(t, "clerk.zhd", by(&appealsv1.Applicant{FullName: "Petrov", Email: "PETROV@example.ru", PostalAddress: petrov.GetPostalAddress()}))
	// The e-mail matches one appeal, the name and address (written as the first) none: «Petrov» ≠ «Петров».
	if !byMail.GetRepeated() || len(byMail.GetPreviousAppeals()) != 1 {
		t.Fatalf("by e-mail: %v %v", byMail.GetRepeated(), byMail.GetPreviousAppeals())
	}

	// Newest first.
	third := h.register(t, "clerk.zhd", by(petrov))
	if !slices.Equal(third.GetPreviousAppeals(), []string{second.GetName(), first.GetName()}) {
		t.Fatalf("third: previous %v, want second then first", third.GetPreviousAppeals())
	}

	// More than 12 months after the last of them: a new question again.
	h.clock.Advance(366 * oneDay)
	later := h.register(t, "clerk.zhd", by(petrov))
	if later.GetRepeated() {
		t.Fatalf("12 months later still repeated: %v", later.GetPreviousAppeals())
	}
	// Within 12 months of the «later» one (and beyond 12 months of the rest).
	h.clock.Advance(300 * oneDay)
	last := h.register(t, "clerk.zhd", by(petrov))
	if !slices.Equal(last.GetPreviousAppeals(), []string{later.GetName()}) {
		t.Fatalf("last: previous %v", last.GetPreviousAppeals())
	}
}

func TestEndCorrespondenceOnARepeatedAppeal(t *testing.T) {
	t.Parallel()
	h := start(t)
	first := h.assignAndStart(t, h.register(t, "clerk.zhd", nil))
	second := h.register(t, "clerk.zhd", nil)
	end := func(login string, a *appealsv1.Appeal) (*appealsv1.Appeal, error) {
		return h.client.EndCorrespondence(h.as(t, login), &appealsv1.EndCorrespondenceRequest{Name: a.GetName(), Etag: a.GetEtag(),
			Reason: "новых доводов нет; ответы даны 12.01 и 15.02"})
	}
	// The earlier appeal is not answered yet: nothing to end.
	_, err := end("head.zhd", second)
	expect(t, err, codes.FailedPrecondition, "NO_PREVIOUS_ANSWER")
	must[*appealsv1.Appeal](t)(h.client.AnswerAppeal(h.as(t, "clerk.zhd"), answerReq(first)))

	_, err = end("clerk.zhd", second)
	expect(t, err, codes.PermissionDenied, "NOT_A_HEAD")
	second = must[*appealsv1.Appeal](t)(end("head.zhd", second))
	if second.GetState() != appealsv1.AppealState_APPEAL_STATE_CORRESPONDENCE_ENDED || second.GetClosingReason() == "" {
		t.Fatalf("ended: %v", second)
	}
	single := h.register(t, "clerk.zhd", func(r *appealsv1.CreateAppealRequest) {
		r.Applicant = &appealsv1.Applicant{FullName: "Иванов Иван", PostalAddress: "Хабаровск, ул. Мира, 3"}
	})
	_, err = end("head.zhd", single)
	expect(t, err, codes.FailedPrecondition, "NOT_REPEATED")
}
