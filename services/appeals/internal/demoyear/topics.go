package demoyear

import (
	"strings"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
)

// season is a monthly profile, January first; Generate scales each to a mean of 1, so a topic's
// weight is its share of the year and the profile only moves appeals between months.
type season [12]float64

var (
	flat = season{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	// The heating season runs from mid-September to mid-May; complaints peak at its start
	// and in the cold months.
	heating = season{1.6, 1.4, 1.1, 0.6, 0.3, 0.2, 0.2, 0.3, 1.0, 1.8, 1.8, 1.7}
	// Bills follow consumption: heating months.
	bills = season{1.3, 1.3, 1.1, 1.0, 0.9, 0.8, 0.8, 0.8, 0.9, 1.0, 1.1, 1.2}
	// Snow and ice on yards, pavements and roads.
	winter = season{1.9, 1.8, 1.4, 0.6, 0.2, 0.1, 0.1, 0.1, 0.2, 0.7, 1.8, 2.1}
	// Long dark evenings.
	darkness = season{1.4, 1.2, 1.0, 0.8, 0.6, 0.5, 0.5, 0.7, 1.0, 1.3, 1.5, 1.5}
	// Yards, playgrounds, greening: spring and summer.
	yards = season{0.3, 0.3, 0.6, 1.4, 1.9, 1.9, 1.7, 1.5, 1.0, 0.6, 0.4, 0.3}
	// Hot water is switched off in summer for the maintenance of the heating networks.
	summerWater = season{0.7, 0.7, 0.7, 0.8, 1.4, 2.0, 1.8, 1.3, 0.8, 0.7, 0.7, 0.7}
	// Roofs leak in the spring thaw and the summer rains of the monsoon.
	roofs = season{0.6, 0.6, 1.3, 1.8, 1.2, 0.9, 1.4, 1.5, 1.0, 0.8, 0.6, 0.6}
	// Potholes after the thaw.
	potholes = season{0.5, 0.5, 0.9, 1.7, 1.8, 1.4, 1.2, 1.1, 1.0, 0.9, 0.6, 0.5}
	// Kindergarten places are handed out from May.
	kindergarten = season{0.7, 0.8, 1.0, 1.2, 1.6, 1.5, 1.3, 1.4, 1.2, 0.8, 0.7, 0.6}
	// Stray dogs in spring and autumn.
	animals = season{0.8, 0.8, 1.0, 1.3, 1.3, 1.1, 1.0, 1.0, 1.1, 1.1, 0.8, 0.7}
	// Ticks: April to June.
	ticks = season{0, 0, 0.2, 2.5, 3.0, 1.5, 0.5, 0.2, 0.1, 0, 0, 0}
	// Firewood and coal for private houses before winter.
	fuel = season{1.0, 0.8, 0.5, 0.3, 0.2, 0.3, 0.6, 1.2, 1.8, 1.8, 1.4, 1.1}
	// The Amur floods in late summer.
	floods = season{0.2, 0.2, 0.3, 0.6, 0.8, 1.0, 1.6, 3.0, 2.5, 0.8, 0.2, 0.2}
	// Transport: the school year and the new timetables.
	transport = season{0.9, 1.0, 1.0, 1.0, 0.9, 0.8, 0.8, 1.0, 1.4, 1.2, 1.0, 1.0}
)

// district is the sentinel department of topics that the district committee of the appeal's
// district handles.
const district = "@district"

// topic is a real ССТУ question with the department that usually handles it, its share of the
// year (weight, percent), its seasonal profile and typical texts.
type topic struct {
	code   string
	dept   string
	weight float64
	season season
	// forward is the share forwarded to another body (outside the administration's competence).
	forward float64
	body    string // where such appeals go
	texts   []string
}

// Housing and utilities (section 0005) take most of the year, as in the city's 2017 report.
var topics = []topic{
	// 0005 Жилищно-коммунальная сфера
	{"0005.0005.0056.1156", district, 9, heating, 0.02, bodyHousingInspection, []string{
		"Холодные батареи в квартире, температура в комнатах ниже нормы", "В доме нет отопления после аварии на теплотрассе",
		"Прошу принять меры: в подъезде не работает отопление"}},
	{"0005.0005.0056.1149", district, 8, bills, 0.04, bodyHousingInspection, []string{
		"Прошу сделать перерасчёт платы за отопление", "Не согласен с начислением за капитальный ремонт",
		"Двойное начисление за холодную воду в квитанции"}},
	{"0005.0005.0056.1168", district, 9, roofs, 0.02, bodyHousingInspection, []string{
		"Протекает кровля над квартирой на последнем этаже", "Не работает вентиляция, сырость в подвале",
		"Прошу отремонтировать входную группу подъезда"}},
	{"0005.0005.0056.1154", district, 5, summerWater, 0.01, bodyHousingInspection, []string{
		"Нет горячей воды больше двух недель", "Низкое давление холодной воды на верхних этажах"}},
	{"0005.0005.0056.1164", district, 7, flat, 0.05, bodyHousingInspection, []string{
		"Управляющая компания не отвечает на заявки жильцов", "Прошу проверить работу управляющей организации",
		"Не согласны с выбором управляющей компании"}},
	{"0005.0005.0056.1170", district, 3, flat, 0.03, bodyCapitalRepairFund, []string{
		"Когда будет капитальный ремонт дома 1962 года постройки?", "Прошу перенести срок капитального ремонта крыши"}},
	{"0005.0005.0056.1169", district, 3, heating, 0.02, bodyHousingInspection, []string{
		"Из крана течёт ржавая вода", "Горячая вода еле тёплая"}},
	{"0005.0005.0056.1160", district, 3, yards, 0.01, bodyHousingInspection, []string{
		"Мусор с контейнерной площадки не вывозят неделю", "Прошу перенести контейнерную площадку от окон дома"}},
	{"0005.0005.0056.1161", district, 2, yards, 0, "", []string{
		"Несанкционированная свалка мусора за гаражами", "Строительный мусор во дворе после ремонта"}},
	{"0005.0005.0056.1197", district, 1, fuel, 0, "", []string{
		"Прошу помочь с доставкой дров в частный дом", "Когда будет завоз угля в частный сектор?"}},
	{"0005.0005.0056.1172", district, 1.5, flat, 0.02, bodyHousingInspection, []string{
		"Не принимают показания общедомового прибора учёта", "Прошу разъяснить порядок поверки счётчиков"}},
	{"0005.0005.0055.1122", "DASZ", 3, flat, 0.02, bodyKraiHousing, []string{
		"Когда нас переселят из аварийного дома?", "Дом признан аварийным, жильё взамен не предоставлено"}},
	{"0005.0005.0055.1127", "OOG", 3, flat, 0.02, bodyKraiHousing, []string{
		"Прошу поставить семью на учёт нуждающихся в жилом помещении", "Прошу сообщить номер очереди на получение жилья"}},
	{"0005.0005.0055.1137", district, 2, roofs, 0.01, bodyHousingInspection, []string{
		"Прошу обследовать дом: трещины в несущих стенах", "Прошу признать дом непригодным для проживания"}},

	// 0003 Экономика
	{"0003.0009.0097.0694", "UDVB", 5, winter, 0, "", []string{
		"Не убран снег во дворе и на тротуаре", "Гололёд на пешеходной дорожке у школы", "Прошу вывезти снег с парковки у дома"}},
	{"0003.0009.0099.0742.0110", "UDVB", 4, potholes, 0.01, bodyRoadsKrai, []string{
		"Яма на проезжей части у остановки", "Прошу отремонтировать дорогу по улице", "Разбита дорога после зимы"}},
	{"0003.0009.0097.0699", "UDVB", 3, potholes, 0, "", []string{
		"Прошу отремонтировать тротуар вдоль улицы", "Подъездная дорога к дому в ямах"}},
	{"0003.0009.0097.0690", "UDVB", 2, darkness, 0, "", []string{
		"Не горят фонари на улице", "Прошу установить освещение у пешеходного перехода"}},
	{"0003.0009.0097.0698", district, 2.5, yards, 0, "", []string{
		"Прошу установить детскую площадку во дворе", "Сломаны качели на детской площадке"}},
	{"0003.0009.0097.0692", "UDVB", 1.5, yards, 0, "", []string{
		"Прошу спилить аварийное дерево у дома", "Прошу провести озеленение сквера"}},
	{"0003.0009.0097.0689", district, 2.5, yards, 0, "", []string{
		"Прошу включить двор в программу благоустройства", "Прошу установить скамейки и урны во дворе"}},
	{"0003.0009.0097.0693", "UDVB", 1, flat, 0.05, bodyTrafficPolice, []string{
		"Автомобили паркуются на газоне", "Машины ставят на тротуаре, пройти невозможно"}},
	{"0003.0009.0097.0697", "UDVB", 0.3, ticks, 0, "", []string{"Прошу провести акарицидную обработку парка"}},
	{"0003.0009.0097.0696", "UGOCHS", 0.5, floods, 0, "", []string{
		"Подтопление частного сектора, прошу принять меры", "Когда укрепят берег у дачного посёлка?"}},
	{"0003.0009.0099.0733", "UT", 3, transport, 0.02, bodyKraiTransport, []string{
		"Автобус маршрута редко ходит вечером", "Прошу продлить маршрут до нового микрорайона", "Водитель автобуса грубил пассажирам"}},
	{"0003.0009.0102.0769", "OOG", 0.8, flat, 0.05, bodyConsumerRights, []string{
		"Незаконная торговля у остановки", "Киоск работает ночью и шумит"}},
	{"0003.0011.0127.0866", "UDVB", 1, animals, 0, "", []string{"Стая бездомных собак у школы", "Прошу отловить бездомных собак во дворе"}},
	{"0003.0009.0096.0686", "DASZ", 1, flat, 0.05, bodyConstructionSupervision, []string{
		"Застройщик не устранил недоделки в новом доме", "Прошу проверить законность строительства во дворе"}},

	// 0002 Социальная сфера
	{"0002.0013.0139.0329", "UO", 3, kindergarten, 0, "", []string{
		"Нет места в детском саду для ребёнка трёх лет", "Прошу предоставить место в детском саду рядом с домом"}},
	{"0002.0013.0139.0325.0031", "UO", 1, kindergarten, 0, "", []string{"Прошу разобраться с режимом работы детского сада"}},
	{"0002.0007.0074.0312", "DASZ", 1, flat, 0.05, bodyKraiSocial, []string{"Многодетная семья: когда предоставят земельный участок?"}},
	{"0002.0007.0073.0294", "OOG", 1.5, flat, 0.35, bodyKraiSocial, []string{
		"Прошу оказать материальную помощь малоимущей семье", "Прошу помочь пенсионеру в трудной жизненной ситуации"}},
	{"0002.0014.0144.0440", "UK", 0.7, yards, 0, "", []string{"Прошу построить спортивную площадку в микрорайоне"}},
	{"0002.0013.0141.0368", "UK", 0.5, flat, 0, "", []string{"Прошу продлить часы работы библиотеки", "Благодарю коллектив дома культуры"}},

	// 0001 Государство, общество, политика
	{"0001.0001.0015.0042", "OOG", 2, flat, 0, "", []string{
		"Жалоба на работу специалиста администрации района", "Прошу разъяснить решение администрации"}},
	{"0001.0002.0027.0152", "OOG", 0.8, flat, 0, "", []string{"Благодарю за ремонт дороги у нашего дома", "Спасибо за новую детскую площадку"}},
	{"0001.0002.0025.0092", "OOG", 0.7, flat, 0.1, bodyMFC, []string{"Долго ждал услугу в многофункциональном центре"}},
	{"0001.0002.0027.0144", "OKPM", 0.8, flat, 0, "", []string{"Прошу записать на личный приём к мэру города"}},

	// 0004 Оборона, безопасность, законность
	{"0004.0016.0159.0977", "OOG", 0.6, flat, 0.8, bodyTrafficPolice, []string{"Прошу установить камеру фиксации скорости у школы"}},
	{"0004.0015.0148.0896", "UGOCHS", 0.4, flat, 0, "", []string{"Где ближайшее укрытие гражданской обороны?"}},
}

// The competent bodies appeals are forwarded to.
const (
	bodyHousingInspection       = "Главное управление регионального государственного контроля и лицензирования Правительства Хабаровского края"
	bodyCapitalRepairFund       = "Региональный оператор — Фонд капитального ремонта многоквартирных домов в Хабаровском крае"
	bodyKraiHousing             = "Министерство жилищно-коммунального хозяйства Хабаровского края"
	bodyRoadsKrai               = "Министерство транспорта и дорожного хозяйства Хабаровского края"
	bodyTrafficPolice           = "УМВД России по г. Хабаровску"
	bodyKraiTransport           = "Министерство транспорта и дорожного хозяйства Хабаровского края"
	bodyConsumerRights          = "Управление Роспотребнадзора по Хабаровскому краю"
	bodyConstructionSupervision = "Комитет регионального государственного строительного надзора Правительства Хабаровского края"
	bodyKraiSocial              = "Министерство социальной защиты Хабаровского края"
	bodyMFC                     = "КГКУ «Многофункциональный центр предоставления государственных и муниципальных услуг в Хабаровском крае»"
)

// Districts of Khabarovsk with their share of the city's population (roughly).
var districts = []struct {
	code   string
	weight float64
}{{"IND", 26}, {"ZHD", 24}, {"CEN", 18}, {"KRF", 18}, {"KIR", 14}}

// signers are the officials who sign answers, by department: positions, not persons.
var signers = map[string]string{
	"OOG":    "Начальник отдела обращений граждан",
	"OKPM":   "Руководитель общественно-консультационной приёмной мэра",
	"DASZ":   "Директор департамента архитектуры, строительства и землепользования",
	"UDVB":   "Начальник управления дорог и внешнего благоустройства",
	"UO":     "Начальник управления образования",
	"UK":     "Начальник управления культуры",
	"UT":     "Начальник управления транспорта",
	"UGOCHS": "Начальник управления по делам ГО и ЧС",
}

func signerOf(dept string) string {
	if s, ok := signers[dept]; ok {
		return s
	}
	return "Председатель комитета по управлению районом"
}

// receptionOfficials hold personal receptions: positions, not persons.
var receptionOfficials = []string{
	"Мэр города Хабаровска",
	"Первый заместитель мэра города",
	"Заместитель мэра города по городскому хозяйству",
	"Председатель комитета по управлению районом",
}

// Demo accounts of the all-in-one command handle their departments; the others are made up
// and recognisable as such.
var clerks = map[string]string{"KUR-ZHD": "clerk.zhd", "KUR-IND": "clerk.ind", "OOG": "clerk.oog"}
var heads = map[string]string{"KUR-ZHD": "head.zhd"}

func clerkOf(dept string) string {
	if c, ok := clerks[dept]; ok {
		return c
	}
	return "demo.clerk." + lower(dept)
}

func headOf(dept string) string {
	if h, ok := heads[dept]; ok {
		return h
	}
	return "demo.head." + lower(dept)
}

// actorName is how the history names a login: the demo accounts are not people either.
func actorName(login string) string {
	switch {
	case login == "system":
		return "Cityhall"
	case strings.HasPrefix(login, "demo.head.") || strings.HasPrefix(login, "head."):
		return "Руководитель подразделения (демо)"
	}
	return "Специалист подразделения (демо)"
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

var extensionReasons = []string{
	"Требуется комиссионное обследование дома",
	"Запрошены сведения у ресурсоснабжающей организации",
	"Требуется выезд на место после схода снега",
	"Запрошены документы в другом органе",
}

var closingReasons = map[domain.LeaveReason]string{
	domain.LeaveReasonAnonymous:     "Не указаны фамилия и почтовый адрес заявителя",
	domain.LeaveReasonObscene:       "Нецензурные выражения; заявитель предупреждён о недопустимости злоупотребления правом",
	domain.LeaveReasonUnreadable:    "Текст не поддаётся прочтению",
	domain.LeaveReasonNoSubstance:   "Из текста невозможно установить суть обращения",
	domain.LeaveReasonCourtDecision: "По вопросу имеется вступившее в силу решение суда",
}

var answerTexts = map[domain.AnswerResult]string{
	domain.AnswerResultSupported:    "Ваше обращение рассмотрено. Работы выполнены (включены в план работ), о чём сообщаем.",
	domain.AnswerResultExplained:    "Ваше обращение рассмотрено. Разъясняем порядок решения поставленного вопроса.",
	domain.AnswerResultNotSupported: "Ваше обращение рассмотрено. Оснований для удовлетворения просьбы не имеется; решение может быть обжаловано.",
}
