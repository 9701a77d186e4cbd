package open311

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
)

// The location and media of a request have no field in an appeal: they are appended to its
// text under these labels, one per line, and read back from there.
const (
	labelAddress = "Адрес: "
	labelCoords  = "Координаты: "
	labelMedia   = "Медиа: "
)

const (
	maxResults  = 1000                // the spec's default limit of GET requests
	maxSpan     = 90 * 24 * time.Hour // the spec's default (and largest) window
	maxIDs      = 100                 // service_request_id values in one GET requests
	maxCodes    = 20                  // service_code values in one GET requests
	maxPages    = 20                  // ListAppeals pages read per query (of 1000)
	maxNoteRune = 4000                // status_notes, like the spec's limit of description
)

// cityZone is Khabarovsk time (UTC+10, no daylight saving since 2014): deadlines are its calendar days.
var cityZone = time.FixedZone("Asia/Vladivostok", 10*60*60)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// created is the answer to POST requests.
type created struct {
	ServiceRequestID string  `json:"service_request_id"`
	ServiceNotice    string  `json:"service_notice"`
	AccountID        *string `json:"account_id"`
}

// serviceRequest is one entry of GET requests. address_id is never given (there is no address
// register); zipcode only when the address names a six-digit postal code.
type serviceRequest struct {
	ServiceRequestID  string   `json:"service_request_id"`
	Status            string   `json:"status"`
	StatusNotes       string   `json:"status_notes,omitempty"`
	ServiceName       string   `json:"service_name"`
	ServiceCode       string   `json:"service_code"`
	Description       string   `json:"description"`
	AgencyResponsible string   `json:"agency_responsible,omitempty"`
	ServiceNotice     string   `json:"service_notice,omitempty"`
	RequestedDatetime string   `json:"requested_datetime"`
	UpdatedDatetime   string   `json:"updated_datetime"`
	ExpectedDatetime  string   `json:"expected_datetime,omitempty"`
	Address           string   `json:"address,omitempty"`
	Zipcode           string   `json:"zipcode,omitempty"`
	Lat               *float64 `json:"lat,omitempty"`
	Long              *float64 `json:"long,omitempty"`
	MediaURL          string   `json:"media_url,omitempty"`
}

// ---- POST requests.json ----

func (h *handler) createRequest(w http.ResponseWriter, r *http.Request) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" {
		writeError(w, http.StatusBadRequest, "send the request as Content-Type: application/x-www-form-urlencoded")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.maxBody)
	if err := r.ParseForm(); err != nil {
		msg := "cannot read the form: " + err.Error()
		if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
			msg = fmt.Sprintf("the request body is larger than %d bytes", h.maxBody)
		}
		writeError(w, http.StatusBadRequest, msg)
		return
	}
	token := credentials(w, r, r.Form.Get("api_key"))
	if token == "" {
		return
	}
	in := readForm(r.Form)
	if in.serviceCode == "" {
		writeError(w, http.StatusBadRequest, "service_code: required; GET "+Prefix+"services.json lists them")
		return
	}
	if _, ok := services.byCode[in.serviceCode]; !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("service_code %q not found; GET %sservices.json lists them", in.serviceCode, Prefix))
		return
	}
	if problems := in.check(); len(problems) > 0 {
		writeError(w, http.StatusBadRequest, problems...)
		return
	}
	req := in.createRequest()
	if in.deviceID != "" || in.accountID != "" {
		if sub := subject(token); sub != "" {
			req.RequestId = in.requestID(sub)
		}
	}
	a, err := h.appeals.CreateAppeal(outgoing(r.Context(), token), req)
	if err != nil {
		h.backendError(r.Context(), w, "CreateAppeal", err)
		return
	}
	resp := created{ServiceRequestID: idOf(a), ServiceNotice: notice(a, true)}
	if in.accountID != "" {
		resp.AccountID = &in.accountID
	}
	writeJSON(w, http.StatusOK, []created{resp})
}

// form is a POST request's parameters, trimmed.
type form struct {
	serviceCode, description, address, addressID, lat, long, mediaURL, district string
	firstName, lastName, email, phone, deviceID, accountID                      string
	latitude, longitude                                                         float64
}

func readForm(v url.Values) form {
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return form{
		serviceCode: get("service_code"), description: get("description"),
		// one line: the address is read back from the last lines of the appeal's text
		address:   strings.Join(strings.Fields(get("address_string")), " "),
		addressID: get("address_id"), lat: get("lat"), long: get("long"), mediaURL: get("media_url"),
		district:  strings.ToUpper(get("attribute[district]")),
		firstName: get("first_name"), lastName: get("last_name"), email: get("email"), phone: get("phone"),
		deviceID: get("device_id"), accountID: get("account_id"),
	}
}

// check validates what the appeals service cannot name in Open311 terms. A location is not
// required: many appeal topics (a kindergarten place, a utility bill) have none.
func (f *form) check() []string {
	var problems []string
	if f.description == "" {
		problems = append(problems, "description: required, it is the text of the appeal")
	}
	if f.district != "" && !validDistrict(f.district) {
		problems = append(problems, fmt.Sprintf("attribute[district]: %q is not a district; use ZHD, IND, KIR, KRF or CEN", f.district))
	}
	switch {
	case f.lat == "" && f.long == "":
	case f.lat == "" || f.long == "":
		problems = append(problems, "lat, long: send both or neither")
	default:
		var err1, err2 error
		f.latitude, err1 = strconv.ParseFloat(f.lat, 64)
		f.longitude, err2 = strconv.ParseFloat(f.long, 64)
		if err1 != nil || err2 != nil || math.Abs(f.latitude) > 90 || math.Abs(f.longitude) > 180 {
			problems = append(problems, "lat, long: WGS84 degrees, e.g. lat=48.4802&long=135.0719")
		}
	}
	if f.addressID != "" && f.address == "" && f.lat == "" {
		problems = append(problems, "address_id: not supported (the city keeps no address register); send address_string or lat and long")
	}
	if f.mediaURL != "" {
		u, err := url.Parse(f.mediaURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			problems = append(problems, "media_url: must be an absolute http or https URL")
		}
	}
	return problems
}

// department is the lead department an appeal on this service goes to. The appeals service
// requires one for requests registered on behalf of the city (integrators).
func department(serviceCode, district string) string {
	switch {
	case strings.HasPrefix(serviceCode, "0005."): // housing and utilities: the district committee
		if district != "" {
			return "KUR-" + district
		}
		return "OOG" // the citizens' appeals office registers and routes
	case strings.HasPrefix(serviceCode, "0003.0009.0097."):
		return "UDVB"
	case strings.HasPrefix(serviceCode, "0003.0009.0099."):
		return "UT"
	case strings.HasPrefix(serviceCode, "0002.0013.0139."):
		return "UO"
	}
	return "OOG"
}

func (f *form) createRequest() *appealsv1.CreateAppealRequest {
	text := f.description
	var trailer []string
	if f.address != "" {
		trailer = append(trailer, labelAddress+f.address)
	}
	if f.lat != "" {
		trailer = append(trailer, labelCoords+strconv.FormatFloat(f.latitude, 'f', -1, 64)+", "+strconv.FormatFloat(f.longitude, 'f', -1, 64))
	}
	if f.mediaURL != "" {
		trailer = append(trailer, labelMedia+f.mediaURL)
	}
	if len(trailer) > 0 {
		text += "\n\n" + strings.Join(trailer, "\n")
	}
	req := &appealsv1.CreateAppealRequest{Appeal: &appealsv1.Appeal{
		Channel:         appealsv1.Channel_CHANNEL_ELECTRONIC,
		Text:            text,
		ClassifierCodes: []string{f.serviceCode},
		District:        f.district,
		Department:      department(f.serviceCode, f.district),
	}}
	// The problem's location is not the applicant's postal address: an answer is sent by e-mail.
	fullName := strings.TrimSpace(f.lastName + " " + f.firstName)
	if fullName == "" && f.email == "" && f.phone == "" {
		req.Appeal.Anonymous = true
	} else {
		req.Applicant = &appealsv1.Applicant{FullName: fullName, Email: f.email, Phone: f.phone}
	}
	return req
}

// requestID makes a retried POST register nothing new: the same caller (token subject), device
// or account and the same request give the same id, which the appeals service answers with the
// appeal registered first. Every field that shapes the appeal is part of it, so two different
// reports from one device (another address, another text) are two appeals, never a conflict.
func (f *form) requestID(sub string) string {
	parts := []string{"open311/v2 POST requests", sub, f.deviceID, f.accountID, f.serviceCode, f.description,
		f.address, f.lat, f.long, f.mediaURL, f.district, f.firstName, f.lastName, f.email, f.phone}
	var name []byte // each part length-prefixed: no two part lists make the same name
	for _, p := range parts {
		name = append(binary.AppendUvarint(name, uint64(len(p))), p...)
	}
	return uuidV5(requestNamespace, name)
}

// ---- GET requests.json, GET requests/{id}.json ----

func (h *handler) getRequest(w http.ResponseWriter, r *http.Request, id string) {
	token := credentials(w, r, r.URL.Query().Get("api_key"))
	if token == "" {
		return
	}
	notFound := fmt.Sprintf("service_request_id %q not found", id)
	id = strings.ToLower(id)
	if !uuidRE.MatchString(id) {
		writeError(w, http.StatusNotFound, notFound)
		return
	}
	a, err := h.appeals.GetAppeal(outgoing(r.Context(), token), &appealsv1.GetAppealRequest{Name: "appeals/" + id})
	if err != nil {
		if status.Code(err) == codes.NotFound {
			writeError(w, http.StatusNotFound, notFound)
			return
		}
		h.backendError(r.Context(), w, "GetAppeal", err)
		return
	}
	sr, ok := toServiceRequest(a, nil)
	if !ok { // an appeal on a question outside the Open311 service list
		writeError(w, http.StatusNotFound, notFound)
		return
	}
	writeJSON(w, http.StatusOK, []serviceRequest{sr})
}

func (h *handler) listRequests(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	token := credentials(w, r, q.Get("api_key"))
	if token == "" {
		return
	}
	if ids := splitList(q, "service_request_id"); len(ids) > 0 { // overrides all other arguments
		h.requestsByID(w, r, token, ids)
		return
	}
	var problems []string
	var filters []string // one ListAppeals query each: a service code, or a topic prefix
	codes := splitList(q, "service_code")
	for _, code := range codes {
		if _, ok := services.byCode[code]; !ok {
			problems = append(problems, fmt.Sprintf("service_code: %q is not in %sservices.json", code, Prefix))
		}
		filters = append(filters, code)
	}
	if len(filters) > maxCodes {
		problems = append(problems, fmt.Sprintf("service_code: at most %d codes at once", maxCodes))
	}
	if len(filters) == 0 {
		for _, t := range topics {
			filters = append(filters, strings.TrimSuffix(t, ".")+"*")
		}
	}
	wantOpen, wantClosed := true, true
	if st := splitList(q, "status"); len(st) > 0 {
		wantOpen, wantClosed = false, false
		for _, s := range st {
			switch s {
			case "open":
				wantOpen = true
			case "closed":
				wantClosed = true
			default:
				problems = append(problems, fmt.Sprintf("status: %q is neither open nor closed", s))
			}
		}
	}
	from, to, p := h.window(q.Get("start_date"), q.Get("end_date"))
	problems = append(problems, p...)
	if len(problems) > 0 {
		writeError(w, http.StatusBadRequest, problems...)
		return
	}

	ctx := outgoing(r.Context(), token)
	keep := func(a *appealsv1.Appeal) bool {
		_, listed := services.resolve(a.GetClassifierCodes())
		open := isOpen(a.GetState())
		return listed && ((open && wantOpen) || (!open && wantClosed))
	}
	found := map[string]*appealsv1.Appeal{}
	for _, code := range filters {
		filter := fmt.Sprintf(`classifier_code = "%s" AND register_time >= "%s" AND register_time <= "%s"`,
			code, from.UTC().Format(time.RFC3339Nano), to.UTC().Format(time.RFC3339Nano))
		// Newest first: once a query has maxResults matches, its older rows cannot make the cut.
		n, pageToken := 0, ""
		for page := 0; page < maxPages && n < maxResults; page++ {
			resp, err := h.appeals.ListAppeals(ctx, &appealsv1.ListAppealsRequest{PageSize: maxResults, Filter: filter, PageToken: pageToken})
			if err != nil {
				h.backendError(r.Context(), w, "ListAppeals", err)
				return
			}
			for _, a := range resp.GetAppeals() {
				if keep(a) {
					found[a.GetName()] = a
					n++
				}
			}
			if pageToken = resp.GetNextPageToken(); pageToken == "" {
				break
			}
		}
	}
	list := make([]*appealsv1.Appeal, 0, len(found))
	for _, a := range found {
		list = append(list, a)
	}
	slices.SortFunc(list, func(a, b *appealsv1.Appeal) int {
		return cmp.Or(b.GetRegisterTime().AsTime().Compare(a.GetRegisterTime().AsTime()), strings.Compare(a.GetName(), b.GetName()))
	})
	writeRequests(w, list[:min(len(list), maxResults)], codes)
}

func (h *handler) requestsByID(w http.ResponseWriter, r *http.Request, token string, list []string) {
	if len(list) > maxIDs {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("service_request_id: at most %d ids at once", maxIDs))
		return
	}
	var problems []string
	for i, id := range list {
		list[i] = strings.ToLower(id)
		if !uuidRE.MatchString(list[i]) {
			problems = append(problems, fmt.Sprintf("service_request_id: %q is not a service request id (a UUID)", id))
		}
	}
	if len(problems) > 0 {
		writeError(w, http.StatusBadRequest, problems...)
		return
	}
	ctx := outgoing(r.Context(), token)
	var out []*appealsv1.Appeal
	for _, id := range list {
		a, err := h.appeals.GetAppeal(ctx, &appealsv1.GetAppealRequest{Name: "appeals/" + id})
		switch {
		case status.Code(err) == codes.NotFound: // a list answers what it finds
		case err != nil:
			h.backendError(r.Context(), w, "GetAppeal", err)
			return
		default:
			out = append(out, a)
		}
	}
	writeRequests(w, out, nil)
}

// writeRequests answers GET requests; an appeal on several questions shows the one asked for.
func writeRequests(w http.ResponseWriter, appeals []*appealsv1.Appeal, asked []string) {
	out := make([]serviceRequest, 0, len(appeals))
	for _, a := range appeals {
		if sr, ok := toServiceRequest(a, asked); ok {
			out = append(out, sr)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// window is the requested_datetime range of GET requests: the last 90 days by default, never longer.
func (h *handler) window(start, end string) (from, to time.Time, problems []string) {
	var hasFrom, hasTo bool
	if start != "" {
		var err error
		if from, err = parseW3(start); err != nil {
			problems = append(problems, fmt.Sprintf("start_date: %q is not a w3 datetime like 2026-01-01T00:00:00Z", start))
		}
		hasFrom = true
	}
	if end != "" {
		var err error
		if to, err = parseW3(end); err != nil {
			problems = append(problems, fmt.Sprintf("end_date: %q is not a w3 datetime like 2026-01-31T23:59:59Z", end))
		}
		hasTo = true
	}
	if len(problems) > 0 {
		return from, to, problems
	}
	switch {
	case !hasFrom && !hasTo:
		to = h.now()
		from = to.Add(-maxSpan)
	case !hasFrom:
		from = to.Add(-maxSpan)
	case !hasTo:
		to = from.Add(maxSpan)
	}
	switch {
	case to.Before(from):
		problems = append(problems, "end_date: before start_date")
	case to.Sub(from) > maxSpan:
		problems = append(problems, "start_date, end_date: may not span more than 90 days")
	}
	return from, to, problems
}

// parseW3 reads the spec's datetimes (with a time zone), or a bare date as midnight in Khabarovsk.
func parseW3(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.ParseInLocation(time.DateOnly, s, cityZone)
}

// splitList reads a list parameter: comma-delimited, and may be declared several times.
func splitList(q url.Values, key string) []string {
	var out []string
	for _, v := range strings.Split(strings.Join(q[key], ","), ",") {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// ---- appeal → service request ----

// isOpen: the spec's "open" is an appeal still being worked on; everything else is closed.
func isOpen(s appealsv1.AppealState) bool {
	switch s {
	case appealsv1.AppealState_APPEAL_STATE_RECEIVED, appealsv1.AppealState_APPEAL_STATE_REGISTERED,
		appealsv1.AppealState_APPEAL_STATE_ASSIGNED, appealsv1.AppealState_APPEAL_STATE_IN_PROGRESS:
		return true
	}
	return false
}

func idOf(a *appealsv1.Appeal) string { return strings.TrimPrefix(a.GetName(), "appeals/") }

var zipcodeRE = regexp.MustCompile(`(?:^|\D)(\d{6})(?:\D|$)`)

func toServiceRequest(a *appealsv1.Appeal, asked []string) (serviceRequest, bool) {
	codes := a.GetClassifierCodes()
	if i := slices.IndexFunc(codes, func(c string) bool { return slices.Contains(asked, c) }); i > 0 {
		codes = append([]string{codes[i]}, codes...)
	}
	svc, ok := services.resolve(codes)
	if !ok {
		return serviceRequest{}, false
	}
	open := isOpen(a.GetState())
	sr := serviceRequest{
		ServiceRequestID:  idOf(a),
		Status:            "closed",
		StatusNotes:       statusNotes(a),
		ServiceName:       svc.ServiceName,
		ServiceCode:       svc.ServiceCode,
		AgencyResponsible: cmp.Or(a.GetDepartmentDisplayName(), a.GetDepartment()),
		ServiceNotice:     notice(a, open),
		RequestedDatetime: w3(a.GetRegisterTime().AsTime()),
		UpdatedDatetime:   w3(cmp.Or(a.GetUpdateTime(), a.GetRegisterTime()).AsTime()),
	}
	if open {
		sr.Status = "open"
	}
	if d := a.GetAnswerDueDate(); d != nil && d.GetYear() > 0 {
		// the last moment of the due day in city time
		end := time.Date(int(d.GetYear()), time.Month(d.GetMonth()), int(d.GetDay())+1, 0, 0, 0, 0, cityZone).Add(-time.Second)
		sr.ExpectedDatetime = w3(end)
	}
	sr.Description, sr.Address, sr.Lat, sr.Long, sr.MediaURL = splitText(a.GetText())
	if m := zipcodeRE.FindStringSubmatch(sr.Address); m != nil {
		sr.Zipcode = m[1]
	}
	return sr, true
}

func w3(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// splitText separates the appeal's text from the location and media lines appended on POST.
func splitText(text string) (description, address string, lat, long *float64, media string) {
	lines := strings.Split(strings.TrimRight(text, "\r\n\t "), "\n")
	i := len(lines)
lines:
	for ; i > 0; i-- {
		line := strings.TrimSpace(lines[i-1])
		switch {
		case strings.HasPrefix(line, labelAddress) && address == "":
			address = strings.TrimSpace(strings.TrimPrefix(line, labelAddress))
		case strings.HasPrefix(line, labelMedia) && media == "":
			media = strings.TrimSpace(strings.TrimPrefix(line, labelMedia))
		case strings.HasPrefix(line, labelCoords) && lat == nil:
			la, lo, ok := strings.Cut(strings.TrimPrefix(line, labelCoords), ",")
			x, err1 := strconv.ParseFloat(strings.TrimSpace(la), 64)
			y, err2 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
			if !ok || err1 != nil || err2 != nil {
				break lines
			}
			lat, long = &x, &y
		default:
			break lines
		}
	}
	return strings.TrimRight(strings.Join(lines[:i], "\n"), "\r\n\t "), address, lat, long, media
}

// notice is service_notice: the registration number and, while the appeal is open, when the answer is due.
func notice(a *appealsv1.Appeal, open bool) string {
	s := "Обращение зарегистрировано, № " + a.GetRegistrationNumber()
	d := a.GetAnswerDueDate()
	switch {
	case !open:
	case a.GetAnonymous():
		s += ". Анонимное обращение: ответ не направляется (ст. 11 Федерального закона № 59-ФЗ)"
	case d != nil && d.GetYear() > 0:
		s += fmt.Sprintf(". Ответ — не позднее %02d.%02d.%04d (ст. 12 Федерального закона № 59-ФЗ)", d.GetDay(), d.GetMonth(), d.GetYear())
	}
	return s + "."
}

var answerResults = map[appealsv1.AnswerResult]string{
	appealsv1.AnswerResult_ANSWER_RESULT_SUPPORTED:     "поддержано",
	appealsv1.AnswerResult_ANSWER_RESULT_EXPLAINED:     "разъяснено",
	appealsv1.AnswerResult_ANSWER_RESULT_NOT_SUPPORTED: "не поддержано",
}

var leaveReasons = map[appealsv1.LeaveReason]string{
	appealsv1.LeaveReason_LEAVE_REASON_ANONYMOUS:        "анонимное обращение",
	appealsv1.LeaveReason_LEAVE_REASON_OBSCENE:          "нецензурные или оскорбительные выражения, угрозы",
	appealsv1.LeaveReason_LEAVE_REASON_UNREADABLE:       "текст не поддаётся прочтению",
	appealsv1.LeaveReason_LEAVE_REASON_COURT_DECISION:   "вопрос разрешён судом",
	appealsv1.LeaveReason_LEAVE_REASON_PROTECTED_SECRET: "ответ раскрыл бы охраняемую законом тайну",
	appealsv1.LeaveReason_LEAVE_REASON_NO_SUBSTANCE:     "из текста нельзя понять суть",
}

// statusNotes explains the state: the answer, where the appeal was forwarded, why it was closed,
// or an extension of the deadline.
func statusNotes(a *appealsv1.Appeal) string {
	join := func(head, tail string) string {
		if tail = strings.TrimSpace(tail); tail != "" {
			return head + ": " + tail
		}
		return head
	}
	var s string
	switch a.GetState() {
	case appealsv1.AppealState_APPEAL_STATE_ANSWERED:
		s = "Дан ответ по существу"
		if r, ok := answerResults[a.GetAnswer().GetResult()]; ok {
			s += " (" + r + ")"
		}
		s = join(s, a.GetAnswer().GetText())
	case appealsv1.AppealState_APPEAL_STATE_FORWARDED:
		s = join("Направлено по компетенции", a.GetForwarding().GetBody())
	case appealsv1.AppealState_APPEAL_STATE_RETURNED:
		s = join("Возвращено заявителю", a.GetClosingReason())
	case appealsv1.AppealState_APPEAL_STATE_LEFT_WITHOUT_ANSWER:
		s = "Оставлено без ответа по существу"
		if r, ok := leaveReasons[a.GetLeaveReason()]; ok {
			s += " (" + r + ")"
		}
		s = join(s, a.GetClosingReason())
	case appealsv1.AppealState_APPEAL_STATE_CORRESPONDENCE_ENDED:
		s = join("Переписка прекращена", a.GetClosingReason())
	default:
		if e := a.GetExtension(); e.GetDays() > 0 {
			s = join(fmt.Sprintf("Срок ответа продлён на %d дн.", e.GetDays()), e.GetReason())
		}
	}
	if r := []rune(s); len(r) > maxNoteRune {
		s = string(r[:maxNoteRune-1]) + "…"
	}
	return s
}
