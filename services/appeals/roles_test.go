package appeals_test

import (
	"context"
	"slices"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
)

func TestRolesSeeAndDoWhatTheyMay(t *testing.T) {
	t.Parallel()
	h := start(t)
	zhd := h.register(t, "clerk.zhd", nil)
	ind := h.register(t, "clerk.ind", func(r *appealsv1.CreateAppealRequest) { r.Appeal.Department = "" })
	roads := h.register(t, "integrator", func(r *appealsv1.CreateAppealRequest) { r.Appeal.Department = "UDVB" })
	oog := h.register(t, "admin", func(r *appealsv1.CreateAppealRequest) { r.Appeal.Department = "OOG" })
	all := sorted(zhd.GetName(), ind.GetName(), roads.GetName(), oog.GetName())

	sees := func(login string) []string {
		resp := must[*appealsv1.ListAppealsResponse](t)(h.client.ListAppeals(h.as(t, login), &appealsv1.ListAppealsRequest{}))
		var out []string
		for _, a := range resp.GetAppeals() {
			out = append(out, a.GetName())
		}
		slices.Sort(out)
		return out
	}
	for login, want := range map[string][]string{
		"clerk.zhd":  {zhd.GetName()},
		"head.zhd":   {zhd.GetName()},
		"clerk.ind":  {ind.GetName()},
		"curator":    sorted(zhd.GetName(), roads.GetName()), // curates KUR-ZHD and UDVB
		"vicemayor":  all,
		"mayor":      all,
		"auditor":    all,
		"admin":      all,
		"integrator": all,
	} {
		if got := sees(login); !slices.Equal(got, want) {
			t.Errorf("%s lists %d appeals, want %d", login, len(got), len(want))
		}
	}
	_, err := h.client.GetAppeal(h.as(t, "curator"), &appealsv1.GetAppealRequest{Name: ind.GetName()})
	expect(t, err, codes.NotFound, "NOT_FOUND")

	// Those who only read do not work appeals through.
	for _, login := range []string{"curator", "mayor", "vicemayor", "auditor", "integrator"} {
		_, err := h.client.AssignAppeal(h.as(t, login), &appealsv1.AssignAppealRequest{Name: zhd.GetName(), Etag: zhd.GetEtag()})
		expect(t, err, codes.PermissionDenied, "CANNOT_CHANGE")
	}
	for _, login := range []string{"curator", "mayor", "auditor"} {
		_, err := h.client.CreateAppeal(h.as(t, login), &appealsv1.CreateAppealRequest{Appeal: newAppeal(), Applicant: applicant()})
		expect(t, err, codes.PermissionDenied, "CANNOT_REGISTER")
	}
	// The admin works any appeal through, but a head's powers stay the head's.
	zhd = must[*appealsv1.Appeal](t)(h.client.AssignAppeal(h.as(t, "admin"), &appealsv1.AssignAppealRequest{Name: zhd.GetName(), Etag: zhd.GetEtag()}))
	_, err = h.client.ExtendAppeal(h.as(t, "admin"), &appealsv1.ExtendAppealRequest{Name: zhd.GetName(), Etag: zhd.GetEtag(), Days: 5, Reason: "r"})
	expect(t, err, codes.PermissionDenied, "NOT_A_HEAD")
	// A clerk of another department: as if the appeal did not exist.
	_, err = h.client.StartAppeal(h.as(t, "clerk.ind"), &appealsv1.StartAppealRequest{Name: zhd.GetName(), Etag: zhd.GetEtag()})
	expect(t, err, codes.NotFound, "NOT_FOUND")
	// The history is read by whoever reads the appeal.
	if got := h.history(t, "curator", zhd); !slices.Equal(got, []string{"registered", "assigned"}) {
		t.Fatalf("curator reads history %v", got)
	}
	_, err = h.client.ListAppealHistory(h.as(t, "clerk.ind"), &appealsv1.ListAppealHistoryRequest{Parent: zhd.GetName()})
	expect(t, err, codes.NotFound, "NOT_FOUND")
}

func TestCuratorTokenMustNameAKnownOfficial(t *testing.T) {
	t.Parallel()
	h := start(t)
	for claim, reason := range map[any]string{nil: "NO_OFFICIAL", "1f0e4e6e-0000-5000-8000-000000000000": "UNKNOWN_OFFICIAL"} {
		tok, err := h.Issuer.Issuer.MintClaims("curator", map[string]any{"official": claim})
		if err != nil {
			t.Fatal(err)
		}
		ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+tok)
		_, err = h.client.ListAppeals(ctx, &appealsv1.ListAppealsRequest{})
		expect(t, err, codes.PermissionDenied, reason)
	}
}
