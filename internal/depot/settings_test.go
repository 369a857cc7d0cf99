package depot_test

import (
	"context"
	"slices"
	"testing"

	"wharf/internal/depot"
	"wharf/internal/depot/depottest"
	"wharf/internal/errs"
	"wharf/internal/meta"
)

// addRelease indexes a release of origin/name for x86_64-linux in the
// package's repository, as an upload does.
func (e *env) addRelease(t *testing.T, name, version, release string) {
	t.Helper()
	ctx := context.Background()
	r, err := e.core.EnsureRepo(ctx, depot.RepoType, depottest.Origin+"/"+name, 0)
	if err != nil {
		t.Fatal(err)
	}
	v := meta.Version{RepoID: r.ID, Version: version + "/" + release + "/x86_64-linux"}
	if err := e.store.CreateVersion(ctx, &v, nil); err != nil {
		t.Fatal(err)
	}
	rel := meta.Release{VersionID: v.ID, RepoID: r.ID, NamespaceID: e.acme.ID, Origin: depottest.Origin, Name: name,
		Version: version, Release: release, Target: "x86_64-linux", Checksum: "00",
		Visibility: meta.VisibilityPublic, PackageType: meta.PackageStandard}
	if err := e.store.CreateRelease(ctx, &rel); err != nil {
		t.Fatal(err)
	}
}

func TestPackageSettings(t *testing.T) {
	t.Parallel()
	forBackends(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		maint, ro := e.as(t, "maint"), e.as(t, "ro")
		if _, err := e.svc.CreatePackageSettings(ctx, e.as(t, "mem"), depottest.Origin, "redis"); !errs.Is(err, errs.Denied) {
			t.Errorf("member creates settings: %v", err)
		}
		if _, err := e.svc.CreatePackageSettings(ctx, maint, "nosuch", "redis"); !errs.Is(err, errs.NotFound) {
			t.Errorf("settings in an unknown origin: %v", err)
		}
		if _, err := e.svc.CreatePackageSettings(ctx, maint, depottest.Origin, "bad name"); !errs.Is(err, errs.Invalid) {
			t.Errorf("bad package name: %v", err)
		}
		// An origin without settings makes public packages.
		redis, err := e.svc.CreatePackageSettings(ctx, maint, depottest.Origin, "redis")
		if err != nil {
			t.Fatal(err)
		}
		if redis.Visibility != meta.VisibilityPublic || redis.Name != "redis" || redis.Origin != depottest.Origin || redis.RepoID == 0 || redis.OwnerID != maint.UserID {
			t.Errorf("created %+v", redis)
		}
		if _, err := e.svc.CreatePackageSettings(ctx, maint, depottest.Origin, "redis"); !errs.Is(err, errs.Exists) {
			t.Errorf("second create: %v, want exists", err)
		}
		if err := e.store.PutOrigin(ctx, &meta.Origin{NamespaceID: e.acme.ID, DefaultVisibility: meta.VisibilityPrivate}); err != nil {
			t.Fatal(err)
		}
		nginx, err := e.svc.CreatePackageSettings(ctx, maint, depottest.Origin, "nginx")
		if err != nil || nginx.Visibility != meta.VisibilityPrivate {
			t.Fatalf("created %+v, %v, want private", nginx, err)
		}

		got, err := e.svc.PackageSettings(ctx, ro, depottest.Origin, "redis")
		if err != nil || got.RepoID != redis.RepoID || got.Visibility != meta.VisibilityPublic {
			t.Errorf("settings %+v, %v", got, err)
		}
		if _, err := e.svc.PackageSettings(ctx, e.as(t, "out"), depottest.Origin, "redis"); !errs.Is(err, errs.Denied) {
			t.Errorf("outsider reads settings: %v", err)
		}
		for _, name := range []string{"nosuch", "bad name"} {
			if _, err := e.svc.PackageSettings(ctx, ro, depottest.Origin, name); !errs.Is(err, errs.NotFound) {
				t.Errorf("settings of %q: %v, want not found", name, err)
			}
		}
		// A package repository without settings (as an upload that has
		// not made them yet leaves it) has none to read.
		if _, err := e.core.EnsureRepo(ctx, depot.RepoType, depottest.Origin+"/bare", 0); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.PackageSettings(ctx, ro, depottest.Origin, "bare"); !errs.Is(err, errs.NotFound) {
			t.Errorf("settings of a bare repository: %v, want not found", err)
		}
		if _, err := e.svc.UpdatePackageSettings(ctx, maint, depottest.Origin, "bare", meta.VisibilityPrivate); !errs.Is(err, errs.NotFound) {
			t.Errorf("update settings of a bare repository: %v, want not found", err)
		}

		for _, tt := range []struct {
			vis, msg string
		}{{"", "Missing required package visibility"}, {"secret", ""}} {
			_, err := e.svc.UpdatePackageSettings(ctx, maint, depottest.Origin, "redis", tt.vis)
			if !errs.Is(err, errs.Invalid) || tt.msg != "" && errs.Message(err) != tt.msg {
				t.Errorf("visibility %q: %v", tt.vis, err)
			}
		}
		if _, err := e.svc.UpdatePackageSettings(ctx, ro, depottest.Origin, "redis", meta.VisibilityHidden); !errs.Is(err, errs.Denied) {
			t.Errorf("read-only member updates: %v", err)
		}
		up, err := e.svc.UpdatePackageSettings(ctx, maint, depottest.Origin, "redis", meta.VisibilityHidden)
		if err != nil || up.Visibility != meta.VisibilityHidden {
			t.Fatalf("updated %+v, %v", up, err)
		}
		if got, _ := e.svc.PackageSettings(ctx, ro, depottest.Origin, "redis"); got.Visibility != meta.VisibilityHidden {
			t.Errorf("visibility after update %q", got.Visibility)
		}

		// Lists: a member sees every package, anyone else the public ones.
		if _, err := e.svc.CreatePackageSettings(ctx, maint, depottest.Origin, "zlib"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.UpdatePackageSettings(ctx, maint, depottest.Origin, "zlib", meta.VisibilityPublic); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			user  string
			names []string
		}{{"ro", []string{"nginx", "redis", "zlib"}}, {"out", []string{"zlib"}}, {"", []string{"zlib"}}} {
			page, err := e.svc.OriginPackages(ctx, e.users[tt.user], depottest.Origin, 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range page.Items {
				names = append(names, s.Name)
			}
			if page.Total != len(tt.names) || !slices.Equal(names, tt.names) {
				t.Errorf("%q lists %v (total %d), want %v", tt.user, names, page.Total, tt.names)
			}
		}
		if page, err := e.svc.OriginPackages(ctx, ro, depottest.Origin, 1, 1); err != nil || page.Total != 3 || len(page.Items) != 1 || page.Items[0].Name != "redis" {
			t.Errorf("second page of one: %+v, %v", page, err)
		}
		if page, err := e.svc.OriginPackages(ctx, ro, "nosuch", 0, 50); err != nil || page.Total != 0 || page.Items == nil {
			t.Errorf("unknown origin: %+v, %v", page, err)
		}

		// Delete waits until no release of the name is left.
		e.addRelease(t, "redis", "7.0.0", "20230101000000")
		if err := e.svc.DeletePackageSettings(ctx, maint, depottest.Origin, "redis"); !errs.Is(err, errs.Conflict) {
			t.Errorf("delete with a release: %v, want conflict", err)
		}
		if err := e.svc.DeletePackageSettings(ctx, ro, depottest.Origin, "nginx"); !errs.Is(err, errs.Denied) {
			t.Errorf("read-only member deletes: %v", err)
		}
		if err := e.svc.DeletePackageSettings(ctx, maint, depottest.Origin, "nginx"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.PackageSettings(ctx, ro, depottest.Origin, "nginx"); !errs.Is(err, errs.NotFound) {
			t.Errorf("settings after delete: %v", err)
		}
		// The repository stays, so an upload racing with the delete is kept.
		if _, err := e.core.Repo(ctx, depot.RepoType, depottest.Origin+"/nginx"); err != nil {
			t.Errorf("repository after delete: %v", err)
		}
		if err := e.svc.DeletePackageSettings(ctx, maint, depottest.Origin, "nginx"); !errs.Is(err, errs.NotFound) {
			t.Errorf("second delete: %v, want not found", err)
		}
		// Created again, it takes the origin's default anew.
		if again, err := e.svc.CreatePackageSettings(ctx, maint, depottest.Origin, "nginx"); err != nil || again.Visibility != meta.VisibilityPrivate {
			t.Errorf("re-created %+v, %v", again, err)
		}
	})
}
