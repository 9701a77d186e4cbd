// Package demo loads demonstration data through the public API, the way an integrator would:
// a few hundred appeals across departments, districts and classifier sections.
// Every request carries a request_id derived from its number, so loading twice adds nothing.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/timestamppb"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
)

// topic is a real ССТУ question with the department that usually handles it and sample texts.
type topic struct {
	code   string
	dept   string // "" = the district committee of the appeal's district
	weight int
	texts  []string
}

// Housing and utilities dominate, as in the city's 2017 report.
var topics = []topic{
	{"0005.0005.0056.1149", "", 14, []string{"Прошу сделать перерасчёт платы за отопление", "Не согласен с начислением за капитальный ремонт", "Двойное начисление за холодную воду в квитанции"}},
	{"0005.0005.0056.1156", "", 12, []string{"Холодные батареи в квартире уже неделю", "В доме нет отопления после аварии на теплотрассе"}},
	{"0005.0005.0056.1154", "", 8, []string{"Нет горячей воды третий день", "Низкое давление холодной воды на верхних этажах"}},
	{"0005.0005.0056.1168", "", 10, []string{"Протекает кровля над подъездом", "Не работает вентиляция, сырость в подвале", "Прошу убрать мусор в подъезде"}},
	{"0005.0005.0056.1170", "", 5, []string{"Когда будет капитальный ремонт дома 1962 года постройки?"}},
	{"0005.0005.0056.1164", "", 7, []string{"Управляющая компания не отвечает на заявки жильцов", "Прошу проверить работу управляющей организации"}},
	{"0003.0009.0097.0698", "", 4, []string{"Прошу установить детскую площадку во дворе", "Сломаны качели на детской площадке"}},
	{"0003.0009.0097.0699", "UDVB", 8, []string{"Яма на дороге у остановки", "Прошу отремонтировать тротуар вдоль улицы"}},
	{"0003.0009.0097.0690", "UDVB", 4, []string{"Не горят фонари на улице", "Прошу установить освещение у пешеходного перехода"}},
	{"0003.0009.0097.0694", "UDVB", 6, []string{"Не убран снег во дворе и на тротуаре", "Гололёд на пешеходной дорожке у школы"}},
	{"0003.0009.0097.0692", "UDVB", 2, []string{"Прошу спилить аварийное дерево у дома"}},
	{"0003.0009.0097.0693", "UDVB", 2, []string{"Автомобили паркуются на газоне"}},
	{"0003.0009.0099.0733", "UT", 6, []string{"Автобус маршрута редко ходит вечером", "Прошу продлить маршрут до нового микрорайона"}},
	{"0002.0013.0139.0329", "UO", 5, []string{"Нет места в детском саду для ребёнка трёх лет", "Прошу предоставить место в детском саду рядом с домом"}},
	{"0003.0011.0127.0866", "UDVB", 2, []string{"Стая бездомных собак у школы"}},
	{"0003.0009.0097.0687", "DASZ", 2, []string{"Когда построят школу в микрорайоне?"}},
	{"0003.0009.0102.0768", "OOG", 1, []string{"Незаконная торговля у остановки"}},
}

var districts = []string{"ZHD", "IND", "KIR", "KRF", "CEN"}

var channels = []appealsv1.Channel{
	appealsv1.Channel_CHANNEL_ELECTRONIC, appealsv1.Channel_CHANNEL_ELECTRONIC, appealsv1.Channel_CHANNEL_ELECTRONIC,
	appealsv1.Channel_CHANNEL_LETTER, appealsv1.Channel_CHANNEL_LETTER, appealsv1.Channel_CHANNEL_PERSONAL_RECEPTION,
	appealsv1.Channel_CHANNEL_PHONE, appealsv1.Channel_CHANNEL_FEEDBACK_PLATFORM,
}

// namespace makes request ids deterministic: demo appeal n always has the same id.
var namespace = uuid.MustParse("6f1c3f0e-6d0e-4c55-9b4e-0c1ea0a0d3a1")

// Appeals builds n demo registrations; the same n gives the same list.
func Appeals(n int, now time.Time) []*appealsv1.CreateAppealRequest {
	rng := rand.New(rand.NewPCG(2017, 22884))
	total := 0
	for _, t := range topics {
		total += t.weight
	}
	out := make([]*appealsv1.CreateAppealRequest, n)
	for i := range n {
		pick := rng.IntN(total)
		t := topics[0]
		for _, c := range topics {
			if pick < c.weight {
				t = c
				break
			}
			pick -= c.weight
		}
		district := districts[rng.IntN(len(districts))]
		dept := t.dept
		if dept == "" {
			dept = "KUR-" + district
		}
		a := &appealsv1.Appeal{
			ReceiveTime:     timestamppb.New(now.Add(-time.Duration(rng.IntN(48*60)) * time.Minute)),
			Channel:         channels[rng.IntN(len(channels))],
			Text:            t.texts[rng.IntN(len(t.texts))],
			ClassifierCodes: []string{t.code},
			District:        district,
			Department:      dept,
		}
		if rng.IntN(20) == 0 {
			a.Collective, a.Signatories = true, int32(5+rng.IntN(120))
		}
		req := &appealsv1.CreateAppealRequest{Appeal: a, RequestId: uuid.NewSHA1(namespace, fmt.Appendf(nil, "appeal-%d", i)).String()}
		if rng.IntN(25) == 0 {
			a.Anonymous = true // no name or address: registered, but no answer is possible
		} else {
			// Synthetic, obviously not a real person.
			req.Applicant = &appealsv1.Applicant{
				FullName:      fmt.Sprintf("Житель %05d", i),
				PostalAddress: fmt.Sprintf("г. Хабаровск, демонстрационный адрес № %05d", i),
			}
		}
		out[i] = req
	}
	return out
}

// Load registers the demo appeals over gRPC as the integrator unless appeals already exist.
// It returns how many it registered.
func Load(ctx context.Context, conn grpc.ClientConnInterface, token string, n int) (int, error) {
	ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
	client := appealsv1.NewAppealServiceClient(conn)
	existing, err := client.ListAppeals(ctx, &appealsv1.ListAppealsRequest{PageSize: 1})
	if err != nil {
		return 0, err
	}
	if len(existing.GetAppeals()) > 0 {
		return 0, nil
	}
	for i, req := range Appeals(n, time.Now()) {
		if _, err := client.CreateAppeal(ctx, req); err != nil {
			return i, fmt.Errorf("demo appeal %d: %w", i, err)
		}
	}
	return n, nil
}
