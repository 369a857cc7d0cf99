package clients

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"wharf/internal/testserver"
)

// registry is a running wharf server with one ordinary user, who owns the
// namespace named after them.
type registry struct {
	srv      *testserver.Server
	host     string
	user     string
	password string
	// transport carries every in-process client's requests to srv. Its
	// idle connections are closed before the server stops: the server's
	// graceful shutdown waits for connections that never carried a
	// request, which Go's transport leaves behind when a dial loses a race.
	transport *http.Transport
}

// startRegistry starts a server for the test and creates its user.
func startRegistry(t testing.TB) *registry {
	t.Helper()
	srv := testserver.Start(t, testserver.Options{})
	r := &registry{
		srv: srv, host: srv.Host, user: testserver.RandomName("u"), password: testserver.RandomName("pw-"),
		transport: http.DefaultTransport.(*http.Transport).Clone(),
	}
	t.Cleanup(r.transport.CloseIdleConnections) // runs before the server stops
	srv.CreateUser(t, r.user, r.password, false)
	return r
}

// token creates an API token for the user.
func (r *registry) token(t testing.TB) string {
	t.Helper()
	return r.srv.Token(t, r.user)
}

// repo returns the name of a repository in the user's namespace.
func (r *registry) repo(name string) string { return r.user + "/" + name }

// ref returns the reference host/user/name:tag that command-line tools use.
func (r *registry) ref(name, tag string) string { return r.host + "/" + r.repo(name) + ":" + tag }

// manifestAccept lists every manifest media type the raw client accepts.
var manifestAccept = strings.Join([]string{
	"application/vnd.oci.image.manifest.v1+json",
	"application/vnd.oci.image.index.v1+json",
	"application/vnd.docker.distribution.manifest.v2+json",
	"application/vnd.docker.distribution.manifest.list.v2+json",
}, ", ")

var challengeParam = regexp.MustCompile(`(\w+)="([^"]*)"`)

// do sends a request to the registry as the user, answering a Bearer
// challenge the way Docker clients do: it fetches a token from the realm
// with the user's password and retries. It returns the final response
// with its body read.
func (r *registry) do(t testing.TB, method, path, accept string) (*http.Response, []byte) {
	t.Helper()
	send := func(bearer string) (*http.Response, []byte) {
		req, err := http.NewRequestWithContext(t.Context(), method, r.srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		return r.roundTrip(t, req)
	}
	resp, body := send("")
	ch := resp.Header.Get("WWW-Authenticate")
	if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(ch, "Bearer ") {
		return resp, body
	}
	params := map[string]string{}
	for _, m := range challengeParam.FindAllStringSubmatch(ch, -1) {
		params[m[1]] = m[2]
	}
	q := url.Values{"service": {params["service"]}}
	if sc := params["scope"]; sc != "" {
		q.Set("scope", sc)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, params["realm"]+"?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(r.user, r.password)
	tresp, tbody := r.roundTrip(t, req)
	if tresp.StatusCode != http.StatusOK {
		t.Fatalf("token endpoint %s: %s: %s", req.URL, tresp.Status, tbody)
	}
	var tok struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(tbody, &tok); err != nil || tok.Token == "" {
		t.Fatalf("token endpoint answered %q: %v", tbody, err)
	}
	return send(tok.Token)
}

func (r *registry) roundTrip(t testing.TB, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := r.transport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	return resp, body
}

// sha256Digest returns the sha256 digest string of data.
func sha256Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// manifest fetches repo's manifest ref and returns its digest and bytes.
// It fails the test unless the registry answers 200, the
// Docker-Content-Digest header is the sha256 of the body, and, when ref is
// a digest, that is the digest asked for.
func (r *registry) manifest(t testing.TB, repo, ref string) (string, []byte) {
	t.Helper()
	resp, body := r.do(t, http.MethodGet, "/v2/"+repo+"/manifests/"+ref, manifestAccept)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET manifest %s:%s: %s: %s", repo, ref, resp.Status, body)
	}
	d := sha256Digest(body)
	if got := resp.Header.Get("Docker-Content-Digest"); got != d {
		t.Errorf("GET manifest %s:%s: Docker-Content-Digest %q, body digest %q", repo, ref, got, d)
	}
	if strings.HasPrefix(ref, "sha256:") && ref != d {
		t.Errorf("GET manifest %s@%s returned content with digest %s", repo, ref, d)
	}
	return d, body
}

// status returns the status of a request for path, body discarded.
func (r *registry) status(t testing.TB, method, path string) int {
	t.Helper()
	resp, _ := r.do(t, method, path, manifestAccept)
	return resp.StatusCode
}

// blob fetches a blob and fails the test unless its bytes have digest d
// and, when size is not negative, that size.
func (r *registry) blob(t testing.TB, repo, d string, size int64) []byte {
	t.Helper()
	resp, body := r.do(t, http.MethodGet, "/v2/"+repo+"/blobs/"+d, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET blob %s@%s: %s: %s", repo, d, resp.Status, body)
	}
	if got := sha256Digest(body); got != d {
		t.Fatalf("GET blob %s@%s: content has digest %s", repo, d, got)
	}
	if size >= 0 && int64(len(body)) != size {
		t.Fatalf("GET blob %s@%s: %d bytes, descriptor says %d", repo, d, len(body), size)
	}
	return body
}

// descriptor is an OCI content descriptor.
type descriptor struct {
	MediaType    string            `json:"mediaType"`
	Digest       string            `json:"digest"`
	Size         int64             `json:"size"`
	ArtifactType string            `json:"artifactType,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
}

// manifestDoc is the union of the image manifest and index fields the
// tests read.
type manifestDoc struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType"`
	ArtifactType  string       `json:"artifactType"`
	Config        descriptor   `json:"config"`
	Layers        []descriptor `json:"layers"`
	Manifests     []descriptor `json:"manifests"`
	Subject       *descriptor  `json:"subject"`
}

func parseManifest(t testing.TB, body []byte) manifestDoc {
	t.Helper()
	var m manifestDoc
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("decode manifest: %v\n%s", err, body)
	}
	return m
}

// image fetches an image manifest with its config and layers from the
// registry, checking every digest, and returns the manifest digest and the
// regular files the layers hold, by path without a leading "/" or "./".
func (r *registry) image(t testing.TB, repo, ref string) (string, map[string][]byte) {
	t.Helper()
	d, body := r.manifest(t, repo, ref)
	m := parseManifest(t, body)
	if m.Config.Digest == "" || len(m.Layers) == 0 {
		t.Fatalf("%s:%s is not an image manifest:\n%s", repo, ref, body)
	}
	r.blob(t, repo, m.Config.Digest, m.Config.Size)
	files := map[string][]byte{}
	for _, l := range m.Layers {
		for name, data := range untar(t, r.blob(t, repo, l.Digest, l.Size)) {
			files[name] = data
		}
	}
	return d, files
}

// tags returns the tag list of repo.
func (r *registry) tags(t testing.TB, repo string) []string {
	t.Helper()
	resp, body := r.do(t, http.MethodGet, "/v2/"+repo+"/tags/list", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET tags of %s: %s: %s", repo, resp.Status, body)
	}
	var list struct {
		Tags []string `json:"tags"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatalf("decode tag list: %v\n%s", err, body)
	}
	return list.Tags
}

// referrers returns the referrers index of repo@d.
func (r *registry) referrers(t testing.TB, repo, d string) []descriptor {
	t.Helper()
	resp, body := r.do(t, http.MethodGet, "/v2/"+repo+"/referrers/"+d, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET referrers of %s@%s: %s: %s", repo, d, resp.Status, body)
	}
	return parseManifest(t, body).Manifests
}
