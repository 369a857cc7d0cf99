package e2e

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Media types used by the fixtures.
const (
	mtOCIManifest    = "application/vnd.oci.image.manifest.v1+json"
	mtOCIIndex       = "application/vnd.oci.image.index.v1+json"
	mtOCIConfig      = "application/vnd.oci.image.config.v1+json"
	mtOCILayer       = "application/vnd.oci.image.layer.v1.tar+gzip"
	mtOCIEmpty       = "application/vnd.oci.empty.v1+json"
	mtDockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
	mtDockerList     = "application/vnd.docker.distribution.manifest.list.v2+json"
	mtDockerConfig   = "application/vnd.docker.container.image.v1+json"
	mtDockerLayer    = "application/vnd.docker.image.rootfs.diff.tar.gzip"
)

// acceptAll is the Accept header of a client that takes every manifest
// type the fixtures push.
var acceptAll = strings.Join([]string{mtOCIManifest, mtOCIIndex, mtDockerManifest, mtDockerList}, ", ")

// uuidRE matches a UUID anywhere in a string.
var uuidRE = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)

func sha256Digest(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

func sha512Digest(b []byte) string {
	s := sha512.Sum512(b)
	return "sha512:" + hex.EncodeToString(s[:])
}

func randBytes(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// randDigest is the digest of content nobody has pushed.
func randDigest(t testing.TB) string { return sha256Digest(randBytes(t, 32)) }

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type platform struct {
	Architecture string `json:"architecture"`
	OS           string `json:"os"`
}

type descriptor struct {
	MediaType    string            `json:"mediaType"`
	Digest       string            `json:"digest"`
	Size         int64             `json:"size"`
	ArtifactType string            `json:"artifactType,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	Platform     *platform         `json:"platform,omitempty"`
}

// manifest is an image manifest or an index, OCI or Docker.
type manifest struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType,omitempty"`
	ArtifactType  string            `json:"artifactType,omitempty"`
	Config        *descriptor       `json:"config,omitempty"`
	Layers        []descriptor      `json:"layers,omitempty"`
	Manifests     []descriptor      `json:"manifests,omitempty"`
	Subject       *descriptor       `json:"subject,omitempty"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

// doc is a manifest as pushed: its bytes, digest and media type.
type doc struct {
	body      []byte
	digest    string
	mediaType string
}

func newDoc(t testing.TB, mediaType string, m manifest) doc {
	t.Helper()
	b := mustJSON(t, m)
	return doc{body: b, digest: sha256Digest(b), mediaType: mediaType}
}

// descriptor describes d as an entry of an index.
func (d doc) descriptor(p *platform) descriptor {
	return descriptor{MediaType: d.mediaType, Digest: d.digest, Size: int64(len(d.body)), Platform: p}
}

// repoPath is the /v2/ path of a repository's endpoint.
func repoPath(repo, rest string) string { return "/v2/" + repo + "/" + rest }

// pushBlob uploads data with POST then PUT, asserting the spec's answers,
// and returns its descriptor.
func pushBlob(t testing.TB, c *client, repo, mediaType string, data []byte) descriptor {
	t.Helper()
	r := c.do(t, http.MethodPost, repoPath(repo, "blobs/uploads/"), nil).want(t, http.StatusAccepted)
	d := sha256Digest(data)
	c.do(t, http.MethodPut, withQuery(t, r.location(t), "digest", d), data,
		"Content-Type", "application/octet-stream").want(t, http.StatusCreated)
	return descriptor{MediaType: mediaType, Digest: d, Size: int64(len(data))}
}

// putManifest pushes a manifest under ref, a tag or a digest.
func putManifest(t testing.TB, c *client, repo, ref, contentType string, body []byte) *response {
	t.Helper()
	return c.do(t, http.MethodPut, repoPath(repo, "manifests/"+ref), body, "Content-Type", contentType)
}

// push pushes d under ref and checks the 201 answer.
func (d doc) push(t testing.TB, c *client, repo, ref string) *response {
	t.Helper()
	r := putManifest(t, c, repo, ref, d.mediaType, d.body).want(t, http.StatusCreated)
	r.wantHeader(t, "Docker-Content-Digest", d.digest)
	if r.Header.Get("Location") == "" {
		t.Errorf("manifest push: no Location header")
	}
	return r
}

// ociImage uploads a config and two layers and returns an OCI image
// manifest over them, not yet pushed. Each call gives a new digest.
func ociImage(t testing.TB, c *client, repo string) doc {
	t.Helper()
	cfg := pushBlob(t, c, repo, mtOCIConfig, mustJSON(t, map[string]any{
		"architecture": "amd64", "os": "linux", "rootfs": map[string]any{"type": "layers", "diff_ids": []string{}},
		"created": "2024-01-01T00:00:00Z", "author": hex.EncodeToString(randBytes(t, 8)),
	}))
	l1 := pushBlob(t, c, repo, mtOCILayer, randBytes(t, 2048))
	l2 := pushBlob(t, c, repo, mtOCILayer, randBytes(t, 1024))
	return newDoc(t, mtOCIManifest, manifest{
		SchemaVersion: 2, MediaType: mtOCIManifest, Config: &cfg, Layers: []descriptor{l1, l2},
		Annotations: map[string]string{"org.example.nonce": hex.EncodeToString(randBytes(t, 8))},
	})
}

// dockerImage is ociImage for a Docker schema 2 manifest.
func dockerImage(t testing.TB, c *client, repo string) doc {
	t.Helper()
	cfg := pushBlob(t, c, repo, mtDockerConfig, mustJSON(t, map[string]any{
		"architecture": "amd64", "os": "linux", "rootfs": map[string]any{"type": "layers", "diff_ids": []string{}},
		"author": hex.EncodeToString(randBytes(t, 8)),
	}))
	l := pushBlob(t, c, repo, mtDockerLayer, randBytes(t, 1500))
	return newDoc(t, mtDockerManifest, manifest{
		SchemaVersion: 2, MediaType: mtDockerManifest, Config: &cfg, Layers: []descriptor{l},
	})
}

// pushedImage uploads an OCI image and pushes its manifest under tag.
func pushedImage(t testing.TB, c *client, repo, tag string) doc {
	t.Helper()
	d := ociImage(t, c, repo)
	d.push(t, c, repo, tag)
	return d
}

// scope is a Docker token scope on a repository.
func scope(repo, actions string) string { return "repository:" + repo + ":" + actions }

// bearer obtains a token for u the way Docker clients do and returns a
// client presenting it.
func (u *user) bearer(t testing.TB, scopes ...string) *client {
	t.Helper()
	return u.e.withAuth("Bearer " + u.e.fetchToken(t, basicAuth(u.name, u.pass), scopes...))
}

// fetchToken follows the Docker token flow: GET /v2/ answers 401 with a
// Bearer challenge naming realm and service; the realm, asked with
// service and scopes and the given Authorization, answers a token.
func (e *env) fetchToken(t testing.TB, authz string, scopes ...string) string {
	t.Helper()
	r := e.anon().do(t, http.MethodGet, "/v2/", nil).want(t, http.StatusUnauthorized)
	ch := parseChallenge(t, r.Header.Get("WWW-Authenticate"))
	realm, service := ch.params["realm"], ch.params["service"]
	if !strings.EqualFold(ch.scheme, "Bearer") || realm == "" || service == "" {
		t.Fatalf("GET /v2/: challenge %q is not Bearer with realm and service", r.Header.Get("WWW-Authenticate"))
	}
	q := url.Values{"service": {service}}
	for _, s := range scopes {
		q.Add("scope", s)
	}
	tr := e.withAuth(authz).do(t, http.MethodGet, realm+"?"+q.Encode(), nil).want(t, http.StatusOK)
	var body struct {
		Token       string `json:"token"`
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		IssuedAt    string `json:"issued_at"`
	}
	tr.decode(t, &body)
	tok := body.Token
	if tok == "" {
		tok = body.AccessToken
	}
	if tok == "" {
		t.Fatalf("token endpoint answered no token:\n%s", tr)
	}
	return tok
}

// accessClaim is one entry of a Docker registry token's "access" claim.
type accessClaim struct {
	Type    string   `json:"type"`
	Name    string   `json:"name"`
	Actions []string `json:"actions"`
}

// tokenAccess decodes (without verifying) the access claim of a JWT.
func tokenAccess(t testing.TB, tok string) []accessClaim {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token is not a JWT: %q", tok)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("token payload: %v", err)
	}
	var c struct {
		Access []accessClaim `json:"access"`
	}
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatalf("token payload: %v", err)
	}
	return c.Access
}
