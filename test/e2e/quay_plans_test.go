package e2e

import (
	"net/http"
	"testing"
)

// TestQuayPlans checks that the install offers one free plan without a
// limit on private repositories, to anyone. The answer reads nothing from
// the metadata store, so one backend suffices.
func TestQuayPlans(t *testing.T) {
	e := newEnv(t, backends[0].opt)
	u := e.newUser(t, false)
	for _, c := range []*client{e.anon(), u.basic()} {
		var v struct {
			Plans []struct {
				Title        string
				Price        *int
				PrivateRepos int    `json:"privateRepos"`
				StripeID     string `json:"stripeId"`
				Deprecated   *bool
			}
		}
		c.quayDo(t, http.MethodGet, "plans/", nil).want(t, http.StatusOK).decode(t, &v)
		if len(v.Plans) != 1 {
			t.Fatalf("plans: %+v", v)
		}
		p := v.Plans[0]
		if p.Title == "" || p.Price == nil || *p.Price != 0 || p.PrivateRepos < 1<<30 || p.StripeID == "" || p.Deprecated == nil || *p.Deprecated {
			t.Errorf("plan: %+v", p)
		}
	}
	e.anon().quayDo(t, http.MethodPost, "plans/", nil).wantMessage(t, http.StatusMethodNotAllowed, "")
}
