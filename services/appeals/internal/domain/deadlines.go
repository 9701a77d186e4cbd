package domain

// DeadlineState is where an appeal stands against its answer deadline, in city time.
type DeadlineState int

const (
	DeadlineUnspecified DeadlineState = iota
	DeadlineOnTime                    // more than DueSoonDays left
	DeadlineDueSoon                   // DueSoonDays or fewer left
	DeadlineOverdue                   // the answer deadline has passed without an answer
	DeadlineClosed                    // not open: no deadline runs
)

// DeadlineState is computed on read: it changes with the calendar, not with the appeal.
func (a Appeal) DeadlineState(today Date) DeadlineState {
	return DeadlineOn(a.State, a.AnswerDueDate, today)
}

// DeadlineOn is the deadline state of an appeal in state s due on due, seen on today.
func DeadlineOn(s State, due, today Date) DeadlineState {
	left := today.DaysUntil(due)
	switch {
	case !s.Open():
		return DeadlineClosed
	case left < 0:
		return DeadlineOverdue
	case left <= DueSoonDays:
		return DeadlineDueSoon
	}
	return DeadlineOnTime
}

// DueSoonFrom is the first answer due date that is not yet due soon on today: appeals due
// before it (and not overdue) are due soon.
func DueSoonFrom(today Date) Date { return today.AddDays(DueSoonDays + 1) }
