package e2e

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"wharf/internal/format/hab"
)

// TestHabInstallFlow follows `hab pkg install origin/name --channel
// stable`: the latest release in the channel with its full manifest and
// config, the download, the origin's public key, and the checks hab makes
// of what it got: signature, IDENT and TARGET.
func TestHabInstallFlow(t *testing.T) {
	eachHabBackend(t, func(t *testing.T, e *env) {
		owner := newDepotUser(t, e)
		o := newOrigin(t, e, owner)
		c := owner.api

		dep := o.hartOf(t, o.name+"/openssl/3.0.0/"+release(1))
		bdep := o.hartOf(t, o.name+"/gcc/13.2/"+release(2))
		m := pkgMeta(t, o.name+"/redis/7.2.4/"+release(3))
		m.Manifest = "# redis\n\n* __pkg_exposes__: port\n"
		m.Config = "port = 6379\nbind = \"0.0.0.0\""
		m.Deps = []hab.Ident{dep.id}
		m.TDeps = []hab.Ident{dep.id}
		m.BuildDeps = []hab.Ident{bdep.id}
		m.Exposes = []uint16{6379, 16379}
		redis := buildHart(t, o.sec, m)
		// A newer release, in unstable only.
		m2 := m
		m2.Ident.Release = release(4)
		newer := buildHart(t, o.sec, m2)
		for _, h := range []hart{dep, bdep, redis, newer} {
			c.mustUpload(t, h)
		}
		c.promote(t, dep, "stable")
		c.promote(t, redis, "stable")

		t.Run("Install", func(t *testing.T) {
			anon := e.anon()
			r := anon.do(t, http.MethodGet, "/v1/depot/channels/"+o.name+"/stable/pkgs/redis/latest?target=x86_64-linux", nil).
				want(t, http.StatusOK)
			r.wantHeader(t, "Cache-Control", "private, no-cache, no-store")
			p := r.decodePkg(t)
			p.wantIdent(t, redis.id)
			if p.Checksum != redis.checksum || p.Target != "x86_64-linux" {
				t.Errorf("checksum %s target %s, want %s x86_64-linux", p.Checksum, p.Target, redis.checksum)
			}
			// The channel routes carry the whole manifest and config.
			if p.Manifest != m.Manifest[:len(m.Manifest)-1] || p.Config != m.Config {
				t.Errorf("manifest %q config %q, want %q and %q", p.Manifest, p.Config, m.Manifest, m.Config)
			}
			if len(p.Deps) != 1 || p.Deps[0].ident() != dep.id || len(p.TDeps) != 1 || p.TDeps[0].ident() != dep.id {
				t.Errorf("deps %v tdeps %v, want [%s]", p.Deps, p.TDeps, dep.id)
			}
			if len(p.BuildDeps) != 1 || p.BuildDeps[0].ident() != bdep.id {
				t.Errorf("build_deps %v, want [%s]", p.BuildDeps, bdep.id)
			}
			if !slices.Equal(p.Exposes, []uint32{6379, 16379}) {
				t.Errorf("exposes %v, want [6379 16379]", p.Exposes)
			}
			if !p.IsAService || p.Visibility != "public" || p.PackageType != "Standard" {
				t.Errorf("is_a_service %v visibility %q package_type %q, want true public Standard", p.IsAService, p.Visibility, p.PackageType)
			}
			slices.Sort(p.Channels)
			wantSeq(t, "channels", p.Channels, []string{"stable", "unstable"})

			// The download: exact bytes under the name hab saves them as.
			name := o.name + "-redis-7.2.4-" + release(3) + "-x86_64-linux.hart"
			d := anon.do(t, http.MethodGet, pkgURL(redis.id)+"/download?target=x86_64-linux", nil).want(t, http.StatusOK)
			d.wantBody(t, redis.data)
			d.wantHeader(t, "X-Filename", name)
			d.wantHeader(t, "Content-Disposition", `attachment; filename="`+name+`"`)
			d.wantHeader(t, "Content-Type", "application/octet-stream")
			d.wantHeader(t, "Cache-Control", "public, max-age=31536000")
			if cl := d.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(redis.data)) {
				t.Errorf("Content-Length %s, want %d", cl, len(redis.data))
			}

			// The key named in the header, fetched without a token.
			a, err := hab.ReadArchive(bytes.NewReader(d.Body))
			if err != nil {
				t.Fatal(err)
			}
			rev := a.Header.KeyRevision()
			k := anon.do(t, http.MethodGet, "/v1/depot/origins/"+o.name+"/keys/"+rev, nil).want(t, http.StatusOK)
			k.wantHeader(t, "X-Filename", o.name+"-"+rev+".pub")
			pub, err := hab.ParseKey(string(k.Body), hab.SigPublic)
			if err != nil {
				t.Fatalf("the served key does not parse: %v\n%s", err, k)
			}
			if err := hab.VerifySignature(a, pub); err != nil {
				t.Errorf("the downloaded package does not verify with the served key: %v", err)
			}
			if a.Ident != redis.id || a.Target != "x86_64-linux" || a.Checksum != p.Checksum {
				t.Errorf("archive %s %s %s, want %s x86_64-linux %s", a.Ident, a.Target, a.Checksum, redis.id, p.Checksum)
			}

			// Keys list and latest.
			var keys []map[string]string
			anon.do(t, http.MethodGet, "/v1/depot/origins/"+o.name+"/keys", nil).want(t, http.StatusOK).decode(t, &keys)
			want := map[string]string{"origin": o.name, "revision": o.pub.Revision, "location": "/origins/" + o.name + "/keys/" + o.pub.Revision}
			if len(keys) != 1 || keys[0]["origin"] != want["origin"] || keys[0]["revision"] != want["revision"] || keys[0]["location"] != want["location"] {
				t.Errorf("keys %v, want [%v]", keys, want)
			}
			l := anon.do(t, http.MethodGet, "/v1/depot/origins/"+o.name+"/keys/latest", nil).want(t, http.StatusOK)
			if lk, err := hab.ParseKey(string(l.Body), hab.SigPublic); err != nil || !bytes.Equal(lk.Material, o.pub.Material) {
				t.Errorf("latest key %q is not the origin's (%v)", l.Body, err)
			}
			anon.do(t, http.MethodGet, "/v1/depot/origins/"+o.name+"/keys/20000101000000", nil).want(t, http.StatusNotFound)
		})

		t.Run("Unstable", func(t *testing.T) {
			p := e.anon().do(t, http.MethodGet, "/v1/depot/channels/"+o.name+"/unstable/pkgs/redis/latest?target=x86_64-linux", nil).
				want(t, http.StatusOK).decodePkg(t)
			p.wantIdent(t, newer.id)
			// Version-scoped latest in a channel.
			p = e.anon().do(t, http.MethodGet, "/v1/depot/channels/"+o.name+"/stable/pkgs/redis/7.2.4/latest?target=x86_64-linux", nil).
				want(t, http.StatusOK).decodePkg(t)
			p.wantIdent(t, redis.id)
			// The fully qualified channel lookup.
			p = e.anon().do(t, http.MethodGet, chanURL(redis.id, "stable")+"?target=x86_64-linux", nil).want(t, http.StatusOK).decodePkg(t)
			if p.Manifest == "" || p.Config == "" {
				t.Errorf("channel package JSON blanks manifest or config")
			}
			e.anon().do(t, http.MethodGet, chanURL(newer.id, "stable")+"?target=x86_64-linux", nil).want(t, http.StatusNotFound)
		})

		t.Run("DepotRoutes", func(t *testing.T) {
			// /depot/pkgs latest blanks manifest and config and adds size.
			r := e.anon().do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/redis/latest?target=x86_64-linux", nil).want(t, http.StatusOK)
			p := r.decodePkg(t)
			p.wantIdent(t, newer.id)
			if p.Manifest != "" || p.Config != "" {
				t.Errorf("/depot/pkgs latest: manifest %q config %q, want both blank", p.Manifest, p.Config)
			}
			if p.Size == nil || *p.Size != int64(len(newer.data)) {
				t.Errorf("size %v, want %d", p.Size, len(newer.data))
			}
			// Fully qualified: long public cache.
			r = e.anon().do(t, http.MethodGet, pkgURL(redis.id), nil).want(t, http.StatusOK)
			r.wantHeader(t, "Cache-Control", "public, max-age=31536000")
			r.decodePkg(t).wantIdent(t, redis.id)
			e.anon().do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/redis/7.2.4/"+release(9), nil).want(t, http.StatusNotFound)
			e.anon().do(t, http.MethodGet, "/v1/depot/pkgs/"+o.name+"/nosuch/latest?target=x86_64-linux", nil).want(t, http.StatusNotFound)
			e.anon().do(t, http.MethodGet, "/v1/depot/channels/"+o.name+"/stable/pkgs/nosuch/latest?target=x86_64-linux", nil).want(t, http.StatusNotFound)
			e.anon().do(t, http.MethodGet, "/v1/depot/channels/nosuchorigin/stable/pkgs/redis/latest?target=x86_64-linux", nil).want(t, http.StatusNotFound)
		})

		t.Run("Targets", func(t *testing.T) {
			// Downloads of a target the server does not serve, or no
			// target at all, are 422.
			for _, target := range []string{"x86_64-darwin", "bogus"} {
				e.anon().do(t, http.MethodGet, pkgURL(redis.id)+"/download?target="+target, nil).want(t, http.StatusUnprocessableEntity)
			}
			// A target the release is not built for: 404.
			e.anon().do(t, http.MethodGet, pkgURL(redis.id)+"/download?target=aarch64-linux", nil).want(t, http.StatusNotFound)
			e.anon().do(t, http.MethodGet, "/v1/depot/channels/"+o.name+"/stable/pkgs/redis/latest?target=aarch64-linux", nil).
				want(t, http.StatusNotFound)

			// Without ?target=, the target comes from hab's User-Agent, else
			// x86_64-linux.
			am := pkgMeta(t, o.name+"/armonly/1.0/"+release(5))
			am.Target = "aarch64-linux"
			arm := buildHart(t, o.sec, am)
			c.mustUpload(t, arm)
			ua := "hab/1.6.1245/20240715145236 (aarch64-linux; 6.1.0)"
			e.anon().do(t, http.MethodGet, pkgURL(arm.id)+"/download", nil, "User-Agent", ua).want(t, http.StatusOK).wantBody(t, arm.data)
			e.anon().do(t, http.MethodGet, pkgURL(arm.id)+"/download", nil).want(t, http.StatusNotFound)
			e.anon().do(t, http.MethodGet, pkgURL(redis.id)+"/download", nil).want(t, http.StatusOK).wantBody(t, redis.data)
			p := e.anon().do(t, http.MethodGet, "/v1/depot/channels/"+o.name+"/unstable/pkgs/armonly/latest", nil, "User-Agent", ua).
				want(t, http.StatusOK).decodePkg(t)
			p.wantIdent(t, arm.id)
		})
	})
}
