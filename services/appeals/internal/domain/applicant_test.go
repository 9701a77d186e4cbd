package domain

import (
	"testing"
	"time"
)

func TestMatchKeysNormalise(t *testing.T) {
	a := Applicant{FullName: "Пётр  ПЕТРОВ-Водкин", PostalAddress: "680000, г. Хабаровск, улица Ленина, дом 1, квартира 2",
		Email: " Petrov@Example.RU ", Phone: "+7 (914) 123-45-67"}
	b := Applicant{FullName: "петр петров-водкин", PostalAddress: "Хабаровск г, ул Ленина д 1 кв 2",
		Email: "petrov@example.ru", Phone: "8 914 1234567"}
	ka, kb := a.Keys(), b.Keys()
	if ka != kb {
		t.Fatalf("the same person, different keys:\n%+v\n%+v", ka, kb)
	}
	if ka.Phone != "9141234567" || ka.Email != "petrov@example.ru" || ka.NameAddress != "петр петров-водкин|хабаровск ленина 1 2" {
		t.Fatalf("keys %+v", ka)
	}
	if other := (Applicant{FullName: "Петров Пётр", PostalAddress: "Хабаровск, ул. Ленина, д. 2, кв. 1"}).Keys(); other.NameAddress == (Applicant{FullName: "Петров Пётр", PostalAddress: "Хабаровск, ул. Ленина, д. 1, кв. 2"}).Keys().NameAddress {
		t.Fatal("house 2 flat 1 matches house 1 flat 2")
	}
	if k := (Applicant{FullName: "Петров"}).Keys(); k.NameAddress != "" {
		t.Fatalf("a name without an address matches by name alone: %+v", k)
	}
	if k := (Applicant{Phone: "12-34"}).Keys(); k.Phone != "" {
		t.Fatalf("a too short phone matches: %+v", k)
	}
}

func TestQuestionsAreLevelFour(t *testing.T) {
	got := Questions([]string{"0005.0005.0056.1149", "0005.0005.0056.1149.0001", "0003.0009.0097.0699"})
	if len(got) != 2 || got[0] != "0005.0005.0056.1149" || got[1] != "0003.0009.0097.0699" {
		t.Fatalf("questions %v", got)
	}
}

func TestRepeatedSinceIsTwelveMonths(t *testing.T) {
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	if got := RepeatedSince(now); !got.Equal(time.Date(2025, 3, 2, 1, 0, 0, 0, time.UTC)) {
		t.Fatalf("since %v", got)
	}
}

func TestCheckAttachment(t *testing.T) {
	pdf := []byte("%PDF-1.7 ...")
	if ct, vs := CheckAttachment("письмо.pdf", "application/pdf; name=x", pdf, 100); len(vs) > 0 || ct != "application/pdf" {
		t.Fatalf("a PDF: %v %q", vs, ct)
	}
	for _, c := range []struct {
		name, ct string
		content  []byte
		field    string
	}{
		{"run.exe", "application/x-msdownload", []byte("MZ"), "content_type"},
		{"fake.pdf", "application/pdf", []byte("MZ not a pdf"), "content"},
		{"big.txt", "text/plain", make([]byte, 101), "content"},
		{"empty.txt", "text/plain", nil, "content"},
		{"../etc/passwd", "text/plain", []byte("x"), "filename"},
	} {
		_, vs := CheckAttachment(c.name, c.ct, c.content, 100)
		if len(vs) == 0 || vs[0].Field != c.field {
			t.Errorf("%s: %v, want a violation of %s", c.name, vs, c.field)
		}
	}
}
