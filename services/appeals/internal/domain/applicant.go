package domain

import (
	"strings"
	"time"
	"unicode"
)

// Applicant is the personal data of the one who wrote the appeal (152-FZ). It is stored apart
// from the appeal and never leaves the service except through the audited applicant read.
type Applicant struct {
	FullName      string
	PostalAddress string
	Email         string
	Phone         string
	DestroyTime   time.Time // set once destroyed after the retention period; the fields are then empty
}

// Answerable reports whether a written answer can be sent: a name, and an address to send it
// to. That is the postal address, or, for an appeal received in electronic form, the e-mail
// address (59-FZ art. 7 p. 1 and p. 3, art. 11 p. 1). Without them the appeal is anonymous.
func (a Applicant) Answerable(ch Channel) bool {
	if strings.TrimSpace(a.FullName) == "" {
		return false
	}
	if strings.TrimSpace(a.PostalAddress) != "" {
		return true
	}
	return strings.TrimSpace(a.Email) != "" && (ch == ChannelElectronic || ch == ChannelFeedbackPlatform)
}

// MatchKeys are the applicant's normalised identities for finding repeated appeals: the same
// person is the same name at the same postal address, or the same e-mail, or the same phone.
// An empty key matches nothing.
type MatchKeys struct {
	NameAddress string
	Email       string
	Phone       string
}

// Keys returns the applicant's match keys.
func (a Applicant) Keys() MatchKeys {
	var k MatchKeys
	name, addr := normaliseWords(a.FullName, nil), normaliseWords(a.PostalAddress, addressWords)
	if name != "" && addr != "" {
		k.NameAddress = name + "|" + addr
	}
	k.Email = strings.ToLower(strings.TrimSpace(a.Email))
	var digits strings.Builder
	for _, r := range a.Phone {
		if r >= '0' && r <= '9' {
			digits.WriteRune(r)
		}
	}
	phone := digits.String()
	// +7 914 ... and 8 914 ... are the same Russian number: keep the last 10 digits.
	if len(phone) == 11 && (phone[0] == '7' || phone[0] == '8') {
		phone = phone[1:]
	}
	if len(phone) >= 6 {
		k.Phone = phone
	}
	return k
}

// addressWords are the kinds of address parts (street, house, flat ...), in full and
// abbreviated: they are dropped, so «ул. Ленина, д. 1» and «улица Ленина 1» match.
var addressWords = map[string]bool{
	"улица": true, "ул": true, "проспект": true, "пр": true, "пр-т": true, "просп": true, "переулок": true,
	"пер": true, "площадь": true, "пл": true, "бульвар": true, "б-р": true, "шоссе": true, "ш": true,
	"дом": true, "д": true, "квартира": true, "кв": true, "корпус": true, "корп": true, "к": true,
	"строение": true, "стр": true, "город": true, "г": true, "край": true, "кр": true, "район": true,
	"р-н": true, "микрорайон": true, "мкр": true, "россия": true, "рф": true,
}

// normaliseWords lower-cases s, treats ё as е, drops punctuation except hyphens and slashes
// inside words, collapses spaces and drops the words in drop and postal codes (6 digits).
func normaliseWords(s string, drop map[string]bool) string {
	s = strings.ReplaceAll(strings.ToLower(s), "ё", "е")
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '/'
	})
	out := words[:0]
	for _, w := range words {
		w = strings.Trim(w, "-/")
		if w == "" || drop[w] || (drop != nil && isPostalCode(w)) {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

func isPostalCode(w string) bool {
	if len(w) != 6 {
		return false
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Question is the classifier question (level 4, `Раздел.Тематика.Тема.Вопрос`) of a code;
// a level-5 code belongs to its question.
func Question(code string) string {
	parts := strings.SplitN(code, ".", 5)
	if len(parts) < 4 {
		return code
	}
	return strings.Join(parts[:4], ".")
}

// Questions are the distinct classifier questions of codes, in order.
func Questions(codes []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range codes {
		if q := Question(c); !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}

// RepeatedWithinMonths is how far back an earlier appeal of the same applicant on the same
// question makes a new one repeated.
const RepeatedWithinMonths = 12

// RepeatedSince is the earliest registration time of an earlier appeal that makes one
// registered at now repeated.
func RepeatedSince(now time.Time) time.Time {
	return now.In(CityZone).AddDate(0, -RepeatedWithinMonths, 0)
}
