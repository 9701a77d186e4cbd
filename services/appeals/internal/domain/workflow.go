package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// RuleError is a step the law (or the administration's procedure) does not allow. Reason is
// an UPPER_SNAKE name of the rule; the API answers it as FAILED_PRECONDITION.
type RuleError struct {
	Reason  string
	Message string
}

func (e *RuleError) Error() string { return e.Reason + ": " + e.Message }

func broken(reason, format string, args ...any) *RuleError {
	return &RuleError{Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// Action is one step of the workflow; its name is also the history entry's action.
type Action string

const (
	ActionRegistered          Action = "registered"
	ActionUpdated             Action = "updated"
	ActionAssigned            Action = "assigned"
	ActionStarted             Action = "started"
	ActionForwarded           Action = "forwarded"
	ActionExtended            Action = "extended"
	ActionAnswered            Action = "answered"
	ActionReturned            Action = "returned"
	ActionLeftWithoutAnswer   Action = "left_without_answer"
	ActionCorrespondenceEnded Action = "correspondence_ended"
	ActionReopened            Action = "reopened"
	ActionMarkedDuplicate     Action = "marked_duplicate"
	ActionAttachmentAdded     Action = "attachment_added"
	ActionDueSoon             Action = "due_soon"
	ActionOverdue             Action = "overdue"
	ActionApplicantDestroyed  Action = "applicant_data_destroyed"
)

// openStates are those in which the administration still owes the applicant something.
var openStates = []State{StateReceived, StateRegistered, StateAssigned, StateInProgress}

// Open reports whether an appeal in state s is still being worked on (its deadlines run).
func (s State) Open() bool { return slices.Contains(openStates, s) }

// Transitions is the state machine of 59-FZ as the administration runs it: for each action,
// the states it may start from and the state it leads to (StateUnspecified: unchanged).
//
//	registered → assigned → in progress → answered
//	registered | assigned | in progress → forwarded, returned, left without answer, correspondence ended
//	answered | returned | left without answer | correspondence ended → (reopen) in progress
//
// Extending, correcting the card and marking a duplicate do not change the state.
var Transitions = map[Action]struct {
	From []State
	To   State
}{
	ActionUpdated:             {openStates[1:], StateUnspecified},
	ActionAssigned:            {[]State{StateRegistered, StateAssigned, StateInProgress}, StateAssigned},
	ActionStarted:             {[]State{StateAssigned}, StateInProgress},
	ActionForwarded:           {[]State{StateRegistered, StateAssigned, StateInProgress}, StateForwarded},
	ActionExtended:            {[]State{StateRegistered, StateAssigned, StateInProgress}, StateUnspecified},
	ActionAnswered:            {[]State{StateAssigned, StateInProgress}, StateAnswered},
	ActionReturned:            {[]State{StateRegistered, StateAssigned, StateInProgress}, StateReturned},
	ActionLeftWithoutAnswer:   {[]State{StateRegistered, StateAssigned, StateInProgress}, StateLeftWithoutAnswer},
	ActionCorrespondenceEnded: {[]State{StateRegistered, StateAssigned, StateInProgress}, StateCorrespondenceEnded},
	ActionReopened:            {[]State{StateAnswered, StateReturned, StateLeftWithoutAnswer, StateCorrespondenceEnded}, StateInProgress},
	ActionMarkedDuplicate:     {[]State{StateReceived, StateRegistered, StateAssigned, StateInProgress, StateAnswered, StateForwarded, StateReturned, StateLeftWithoutAnswer, StateCorrespondenceEnded}, StateUnspecified},
}

// Allowed checks the state table for act on an appeal in state s; the error names the rule.
func Allowed(act Action, s State) error {
	t, ok := Transitions[act]
	if !ok {
		return broken("UNKNOWN_ACTION", "no such workflow step %q", act)
	}
	if slices.Contains(t.From, s) {
		return nil
	}
	switch {
	case act == ActionReopened && s == StateForwarded:
		return broken("FORWARDED_NOT_REOPENABLE", "a forwarded appeal belongs to the competent body now and cannot be reopened")
	case act == ActionReopened && s.Open():
		return broken("NOT_CLOSED", "only a closed appeal can be reopened; this one is %s", s)
	case !s.Open():
		return broken("APPEAL_CLOSED", "the appeal is %s: %s is not possible until it is reopened", s, act)
	case act == ActionStarted || act == ActionAnswered:
		return broken("NOT_ASSIGNED", "assign the appeal to an executor first; it is %s", s)
	}
	return broken("INVALID_TRANSITION", "%s is not possible for an appeal that is %s", act, s)
}

func (s State) String() string {
	names := [...]string{"unspecified", "received", "registered", "assigned", "in progress", "answered",
		"forwarded", "returned", "left without answer", "correspondence ended"}
	if int(s) >= 0 && int(s) < len(names) {
		return names[s]
	}
	return fmt.Sprintf("state %d", int(s))
}

// Step is the result of a workflow step: the changed appeal and a note for its history.
type Step struct {
	Appeal Appeal
	Action Action
	Note   string // never personal data
}

func (a Appeal) step(act Action, now time.Time, note string) (Step, error) {
	if err := Allowed(act, a.State); err != nil {
		return Step{}, err
	}
	if to := Transitions[act].To; to != StateUnspecified {
		a.State = to
		if !to.Open() {
			a.CloseTime = now.UTC()
		}
	}
	return Step{Appeal: a, Action: act, Note: note}, nil
}

// Assignment routes an appeal: the lead department, co-executors and the executor.
type Assignment struct {
	Department  string
	CoExecutors []string
	Executor    string
}

// Assign sends the appeal to its lead department, co-executors and executor; re-assigning an
// appeal in progress puts it back to assigned.
func (a Appeal) Assign(as Assignment, now time.Time) (Step, error) {
	if as.Department == "" {
		as.Department = a.Department
	}
	if slices.Contains(as.CoExecutors, as.Department) {
		return Step{}, broken("CO_EXECUTOR_IS_LEAD", "%s leads the appeal and cannot also be its co-executor", as.Department)
	}
	note := "lead " + as.Department
	if len(as.CoExecutors) > 0 {
		note += ", co-executors " + strings.Join(as.CoExecutors, ", ")
	}
	if as.Executor != "" {
		note += ", executor " + as.Executor
	}
	a.Department, a.CoExecutors, a.Executor = as.Department, slices.Clone(as.CoExecutors), as.Executor
	if a.CoExecutors == nil {
		a.CoExecutors = []string{}
	}
	return a.step(ActionAssigned, now, note)
}

// Start records that the executor works on the appeal.
func (a Appeal) Start(now time.Time) (Step, error) { return a.step(ActionStarted, now, "") }

// ForwardTo is where and how an appeal is forwarded.
type ForwardTo struct {
	Body              string
	ComplaintAgainst  string // the body the appeal complains about, if it is a complaint
	ApplicantNotified bool
}

// Forward sends an appeal outside the administration's competence to the competent body.
// Forwarding after the forward due date is allowed (the appeal must still reach the competent
// body) but recorded as late.
func (a Appeal) Forward(f ForwardTo, now time.Time) (Step, error) {
	if err := Allowed(ActionForwarded, a.State); err != nil {
		return Step{}, err
	}
	if strings.TrimSpace(f.Body) == "" {
		return Step{}, broken("FORWARD_BODY_REQUIRED", "name the competent body")
	}
	if f.ComplaintAgainst != "" && sameBody(f.Body, f.ComplaintAgainst) {
		return Step{}, broken("COMPLAINT_TO_ACCUSED_BODY",
			"a complaint may not be sent to the body it complains about (59-FZ art. 8 p. 6)")
	}
	if !f.ApplicantNotified && !a.Anonymous {
		return Step{}, broken("APPLICANT_NOT_NOTIFIED",
			"notify the applicant where the appeal is forwarded (59-FZ art. 8 p. 3), then forward it")
	}
	late := a.ForwardDueDate.Before(DateOf(now))
	a.Forwarding = Forwarding{Body: f.Body, Time: now.UTC(), Late: late, ApplicantNotified: f.ApplicantNotified}
	note := "to " + f.Body
	if late {
		note += fmt.Sprintf("; late: the forward due date was %s", a.ForwardDueDate)
	}
	return a.step(ActionForwarded, now, note)
}

// sameBody compares names of bodies loosely: case, ё/е, punctuation and one name containing
// the other («Министерство ЖКХ» and «министерство ЖКХ Хабаровского края») count as the same.
func sameBody(x, y string) bool {
	x, y = normaliseWords(x, nil), normaliseWords(y, nil)
	if x == "" || y == "" {
		return false
	}
	return x == y || strings.Contains(" "+x+" ", " "+y+" ") || strings.Contains(" "+y+" ", " "+x+" ")
}

// Extend moves the answer deadline once, by at most 30 days, with a reason. A deadline that
// has already passed cannot be extended (the extension is decided before it runs out).
func (a Appeal) Extend(days int, reason, by string, now time.Time) (Step, error) {
	if err := Allowed(ActionExtended, a.State); err != nil {
		return Step{}, err
	}
	switch {
	case a.Extension.Days > 0:
		return Step{}, broken("EXTENSION_ALREADY_USED", "the answer deadline was already extended on %s; the law allows one extension",
			DateOf(a.Extension.Time))
	case days < 1 || days > MaxExtensionDays:
		return Step{}, broken("EXTENSION_TOO_LONG", "an extension is 1 to %d days, not %d", MaxExtensionDays, days)
	case strings.TrimSpace(reason) == "":
		return Step{}, broken("EXTENSION_REASON_REQUIRED", "give the reason of the extension")
	case a.AnswerDueDate.Before(DateOf(now)):
		return Step{}, broken("DEADLINE_PASSED", "the answer deadline %s has passed; it can no longer be extended", a.AnswerDueDate)
	}
	a.Extension = Extension{Days: days, Reason: reason, By: by, Time: now.UTC()}
	a.AnswerDueDate = a.AnswerDueDate.AddDays(days)
	a.DueSoonNotified = time.Time{} // the new deadline gets its own reminder
	return a.step(ActionExtended, now, fmt.Sprintf("by %d days to %s: %s", days, a.AnswerDueDate, reason))
}

// AnswerWith is the answer on substance.
type AnswerWith struct {
	Text   string
	Result AnswerResult
	Signer string
	Oral   bool
}

// AnswerIt answers the appeal on substance, on time if by the (extended) answer due date.
func (a Appeal) AnswerIt(ans AnswerWith, now time.Time) (Step, error) {
	if err := Allowed(ActionAnswered, a.State); err != nil {
		return Step{}, err
	}
	switch {
	case a.Anonymous:
		return Step{}, broken("ANSWER_TO_ANONYMOUS",
			"an anonymous appeal is not answered (59-FZ art. 11 p. 1): leave it without an answer, or forward it if it reports a crime")
	case ans.Oral && (a.ReceptionCard == nil || !a.ReceptionCard.OralAnswerConsented):
		return Step{}, broken("ORAL_ANSWER_WITHOUT_CONSENT",
			"an oral answer is given only at a personal reception with the applicant's consent on the reception card (59-FZ art. 13 p. 3)")
	case strings.TrimSpace(ans.Text) == "" || strings.TrimSpace(ans.Signer) == "":
		return Step{}, broken("ANSWER_INCOMPLETE", "an answer needs its text and the official who signs it")
	case ans.Result == AnswerResultUnspecified:
		return Step{}, broken("ANSWER_INCOMPLETE", "say whether the request is supported, explained or not supported")
	}
	onTime := !a.AnswerDueDate.Before(DateOf(now))
	a.Answer = Answer{Text: ans.Text, Result: ans.Result, Signer: ans.Signer, Time: now.UTC(), OnTime: onTime, Oral: ans.Oral}
	note := "signed by " + ans.Signer
	if !onTime {
		note += fmt.Sprintf("; late: the answer was due on %s", a.AnswerDueDate)
	}
	return a.step(ActionAnswered, now, note)
}

// Return gives the appeal back to the applicant (e.g. no text, withdrawn).
func (a Appeal) Return(reason string, now time.Time) (Step, error) {
	if err := Allowed(ActionReturned, a.State); err != nil {
		return Step{}, err
	}
	if strings.TrimSpace(reason) == "" {
		return Step{}, broken("REASON_REQUIRED", "give the reason the appeal is returned")
	}
	a.ClosingReason = reason
	return a.step(ActionReturned, now, reason)
}

// LeaveNames are the leave reasons' names for the history.
var LeaveNames = map[LeaveReason]string{
	LeaveReasonAnonymous: "anonymous", LeaveReasonObscene: "obscene or threatening",
	LeaveReasonUnreadable: "unreadable", LeaveReasonCourtDecision: "decided by a court",
	LeaveReasonProtectedSecret: "protected secret", LeaveReasonNoSubstance: "no substance",
}

// Leave leaves the appeal without an answer on substance, for a reason of 59-FZ art. 11.
func (a Appeal) Leave(reason LeaveReason, comment string, now time.Time) (Step, error) {
	if err := Allowed(ActionLeftWithoutAnswer, a.State); err != nil {
		return Step{}, err
	}
	name, ok := LeaveNames[reason]
	switch {
	case !ok:
		return Step{}, broken("LEAVE_REASON_REQUIRED", "give one of the reasons of 59-FZ art. 11")
	case reason == LeaveReasonAnonymous && !a.Anonymous:
		return Step{}, broken("NOT_ANONYMOUS", "the applicant gave a name and an address: the appeal is not anonymous")
	}
	a.LeaveReason, a.ClosingReason = reason, comment
	note := name
	if comment != "" {
		note += ": " + comment
	}
	return a.step(ActionLeftWithoutAnswer, now, note)
}

// EndCorrespondence ends the correspondence on a repeated appeal that brings no new arguments
// after earlier answers on substance (59-FZ art. 11 p. 5). previousAnswered: at least one of
// the previous appeals was answered on substance.
func (a Appeal) EndCorrespondence(reason string, previousAnswered bool, now time.Time) (Step, error) {
	if err := Allowed(ActionCorrespondenceEnded, a.State); err != nil {
		return Step{}, err
	}
	switch {
	case !a.Repeated:
		return Step{}, broken("NOT_REPEATED", "correspondence can be ended only on a repeated appeal")
	case !previousAnswered:
		return Step{}, broken("NO_PREVIOUS_ANSWER", "none of the applicant's previous appeals on this question was answered on substance")
	case strings.TrimSpace(reason) == "":
		return Step{}, broken("REASON_REQUIRED", "give the reason the correspondence is ended")
	}
	a.ClosingReason = reason
	return a.step(ActionCorrespondenceEnded, now, reason)
}

// Reopen takes a closed appeal back into work with a fresh 30-day answer deadline from today;
// the earlier answer or closing is kept in the history only. An extension used before stays
// used.
func (a Appeal) Reopen(reason string, now time.Time) (Step, error) {
	if err := Allowed(ActionReopened, a.State); err != nil {
		return Step{}, err
	}
	if strings.TrimSpace(reason) == "" {
		return Step{}, broken("REASON_REQUIRED", "give the reason the appeal is reopened")
	}
	a.Answer, a.ClosingReason, a.LeaveReason, a.CloseTime = Answer{}, "", LeaveReasonUnspecified, time.Time{}
	a.AnswerDueDate = DateOf(now).AddDays(AnswerWithinDays)
	a.DueSoonNotified, a.OverdueNotified = time.Time{}, time.Time{}
	return a.step(ActionReopened, now, reason)
}

// MarkDuplicate records that the appeal repeats target word for word (the same appeal
// received twice). targetDuplicateOf is what target itself duplicates (uuid.Nil: nothing).
func (a Appeal) MarkDuplicate(target, targetDuplicateOf uuid.UUID, now time.Time) (Step, error) {
	switch {
	case target == a.ID:
		return Step{}, broken("DUPLICATE_OF_ITSELF", "an appeal cannot duplicate itself")
	case targetDuplicateOf == a.ID:
		return Step{}, broken("DUPLICATE_CYCLE", "the other appeal is already marked a duplicate of this one")
	}
	a.DuplicateOf = target
	return a.step(ActionMarkedDuplicate, now, "duplicate of appeals/"+target.String())
}

// Correction is a correction of the registration card; only the named fields change.
type Correction struct {
	Fields          []string // proto field names: text, classifier_codes, district, ...
	Text            string
	ClassifierCodes []string
	District        string
	Addressee       string
	Collective      bool
	Signatories     int
	ReceptionCard   *ReceptionCard
	RelatedAppeals  []uuid.UUID
}

// Correct applies the correction to an open appeal. The violations name the fields broken.
func (a Appeal) Correct(c Correction, now time.Time) (Step, []Violation, error) {
	if err := Allowed(ActionUpdated, a.State); err != nil {
		return Step{}, nil, err
	}
	for _, f := range c.Fields {
		switch f {
		case "text":
			a.Text = c.Text
		case "classifier_codes":
			a.ClassifierCodes = c.ClassifierCodes
		case "district":
			a.District = c.District
		case "addressee":
			a.Addressee = c.Addressee
		case "collective":
			a.Collective = c.Collective
		case "signatories":
			a.Signatories = c.Signatories
		case "reception_card":
			a.ReceptionCard = c.ReceptionCard
		case "related_appeals":
			a.RelatedAppeals = c.RelatedAppeals
		}
	}
	var vs []Violation
	if len(a.ClassifierCodes) == 0 {
		vs = append(vs, Violation{"classifier_codes", "at least one classifier code"})
	}
	vs = append(vs, checkCard(a.Text, a.Collective, a.Signatories, a.Channel, a.ReceptionCard)...)
	if slices.Contains(a.RelatedAppeals, a.ID) {
		vs = append(vs, Violation{"related_appeals", "an appeal is not related to itself"})
	}
	if len(vs) > 0 {
		return Step{}, vs, nil
	}
	st, err := a.step(ActionUpdated, now, "corrected: "+strings.Join(c.Fields, ", "))
	return st, nil, err
}
