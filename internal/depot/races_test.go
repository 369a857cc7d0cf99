package depot_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"wharf/internal/auth"
	"wharf/internal/depot"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// rounds is how often a race test runs its race, to make it likely that
// the racers meet.
const rounds = 20

// Renewals of one person's access token at once all succeed and leave
// one token, the last one made; the others no longer authenticate.
func TestConcurrentAccessTokens(t *testing.T) {
	forBackends(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		p := e.as(t, "mem")
		const n = 8
		for round := range rounds {
			made := make([]depot.AccessToken, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					tok, err := e.svc.CreateAccessToken(ctx, p)
					if err != nil {
						t.Errorf("round %d: CreateAccessToken %d: %v", round, i, err)
					}
					made[i] = tok
				})
			}
			wg.Wait()
			if t.Failed() {
				return
			}
			ts, err := e.svc.AccessTokens(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(ts) != 1 {
				t.Fatalf("round %d: %d access tokens after %d renewals at once, want 1", round, len(ts), n)
			}
			last := made[0]
			for _, tok := range made[1:] {
				if tok.ID > last.ID {
					last = tok
				}
			}
			if ts[0].ID != last.ID || ts[0].Secret != last.Secret {
				t.Errorf("round %d: the access token left is %d, want the last one made, %d", round, ts[0].ID, last.ID)
			}
			for _, tok := range made {
				_, err := e.acct.Authenticate(ctx, auth.Credentials{Kind: auth.Bearer, Token: tok.Secret})
				switch {
				case tok.ID == ts[0].ID && err != nil:
					t.Errorf("round %d: the token left does not authenticate: %v", round, err)
				case tok.ID != ts[0].ID && !errs.Is(err, errs.Unauthenticated):
					t.Errorf("round %d: replaced token %d authenticates: %v", round, tok.ID, err)
				}
			}
		}
	})
}

// raceOrigin makes an origin the user "owner" owns, with "admin" as its
// administrator and "mem" and "maint" as members.
func raceOrigin(t *testing.T, e *env, name string) meta.Namespace {
	t.Helper()
	owner := e.as(t, "owner")
	ns := e.origin(t, owner, name)
	e.join(t, owner, e.as(t, "admin"), name, depot.Administrator)
	e.join(t, owner, e.as(t, "mem"), name, depot.Member)
	e.join(t, owner, e.as(t, "maint"), name, depot.Member)
	return ns
}

// owners returns the names of an origin's direct members with the owner
// role and those of its owners team.
func owners(t *testing.T, e *env, ns meta.Namespace) (direct, team []string) {
	t.Helper()
	ctx := context.Background()
	ms, err := e.store.ListMembers(ctx, ns.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Role == meta.MemberOwner {
			direct = append(direct, m.UserName)
		}
	}
	tm, err := e.store.GetTeam(ctx, ns.ID, auth.OwnersTeam)
	if err != nil {
		t.Fatal(err)
	}
	us, err := e.store.ListTeamMembers(ctx, tm.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		team = append(team, u.Name)
	}
	return direct, team
}

// Of two transfers of an origin at once, to two members, one wins and
// the other finds its caller no longer the owner: the origin has one
// owner and the old owner is a maintainer.
func TestConcurrentTransfers(t *testing.T) {
	forBackends(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		owner := e.as(t, "owner")
		for round := range rounds {
			name := fmt.Sprintf("transfer%d", round)
			ns := raceOrigin(t, e, name)
			errOf := map[string]error{}
			var mu sync.Mutex
			var wg sync.WaitGroup
			for _, to := range []string{"mem", "maint"} {
				wg.Go(func() {
					err := e.svc.TransferOwnership(ctx, owner, name, to)
					mu.Lock()
					errOf[to] = err
					mu.Unlock()
				})
			}
			wg.Wait()
			var won []string
			for to, err := range errOf {
				switch {
				case err == nil:
					won = append(won, to)
				case !errs.Is(err, errs.Denied):
					t.Errorf("round %d: transfer to %s: %v", round, to, err)
				}
			}
			if len(won) != 1 {
				t.Fatalf("round %d: %d transfers succeeded (%v), want 1", round, len(won), errOf)
			}
			direct, team := owners(t, e, ns)
			if len(direct) != 1 || direct[0] != won[0] || len(team) != 1 || team[0] != won[0] {
				t.Errorf("round %d: owners %q, owners team %q after the transfer to %s", round, direct, team, won[0])
			}
			if r := e.role(t, owner, name); r != depot.Maintainer {
				t.Errorf("round %d: old owner's role = %v, want maintainer", round, r)
			}
		}
	})
}

// A role change of a member at the time of a transfer to them leaves
// the origin one owner, whichever runs first: the transfer makes them
// owner whatever their role, and a role change after it is refused.
func TestConcurrentTransferAndRoleChange(t *testing.T) {
	forBackends(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		owner, admin := e.as(t, "owner"), e.as(t, "admin")
		for round := range rounds {
			name := fmt.Sprintf("retitle%d", round)
			ns := raceOrigin(t, e, name)
			var transferErr, setErr error
			var wg sync.WaitGroup
			wg.Go(func() { transferErr = e.svc.TransferOwnership(ctx, owner, name, "mem") })
			wg.Go(func() { setErr = e.svc.SetMemberRole(ctx, admin, name, "mem", depot.ReadOnlyMember.String()) })
			wg.Wait()
			if transferErr != nil {
				t.Fatalf("round %d: transfer: %v", round, transferErr)
			}
			if setErr != nil && !errs.Is(setErr, errs.Denied) {
				t.Errorf("round %d: SetMemberRole: %v", round, setErr)
			}
			direct, _ := owners(t, e, ns)
			if len(direct) != 1 || direct[0] != "mem" {
				t.Errorf("round %d: owners %q after the transfer to mem (role change: %v)", round, direct, setErr)
			}
		}
	})
}

// Removing a member at the time the origin is transferred to them leaves
// the origin one owner: either the removal runs first and the transfer
// finds no such member, or the transfer does and the removal refuses to
// take the owner away.
func TestConcurrentTransferAndRemoval(t *testing.T) {
	forBackends(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		owner := e.as(t, "owner")
		for round := range rounds {
			name := fmt.Sprintf("remove%d", round)
			ns := raceOrigin(t, e, name)
			var transferErr, removeErr error
			var wg sync.WaitGroup
			wg.Go(func() { transferErr = e.svc.TransferOwnership(ctx, owner, name, "mem") })
			wg.Go(func() { removeErr = e.svc.RemoveMember(ctx, owner, name, "mem") })
			wg.Wait()
			if (transferErr == nil) == (removeErr == nil) {
				t.Errorf("round %d: transfer %v, removal %v: want exactly one to succeed", round, transferErr, removeErr)
			}
			direct, _ := owners(t, e, ns)
			if len(direct) != 1 {
				t.Errorf("round %d: owners %q after transfer (%v) and removal (%v)", round, direct, transferErr, removeErr)
			}
		}
	})
}
