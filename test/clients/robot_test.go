package clients

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// api calls the Quay-compatible API as the registry's user (Basic auth)
// and decodes a JSON answer into out when it is not nil.
func (r *registry) api(t testing.TB, method, path string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, r.srv.URL+"/api/v1/"+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(r.user, r.password)
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.transport.RoundTrip(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, data)
		}
	}
	return resp.StatusCode
}

// TestPodmanRobot creates a robot through the Quay API, grants it write on
// one repository, and has podman log in as the robot and push there; a
// push elsewhere is refused, and after the token is regenerated the old
// one no longer logs in.
func TestPodmanRobot(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t)
	pm := newPodman(t, sb)
	reg := startRegistry(t)

	var robot struct {
		Name  string `json:"name"`
		Token string `json:"token"`
	}
	if s := reg.api(t, http.MethodPut, "user/robots/deployer", map[string]string{"description": "CI"}, &robot); s != http.StatusCreated {
		t.Fatalf("create robot: status %d", s)
	}
	if robot.Name != reg.user+"+deployer" || len(robot.Token) != 64 {
		t.Fatalf("robot %q with a %d-character token", robot.Name, len(robot.Token))
	}
	if s := reg.api(t, http.MethodPost, "repository", map[string]string{
		"repository": "granted", "visibility": "private", "description": "",
	}, nil); s != http.StatusCreated {
		t.Fatalf("create repository: status %d", s)
	}
	if s := reg.api(t, http.MethodPut, "repository/"+reg.repo("granted")+"/permissions/user/"+robot.Name,
		map[string]string{"role": "write"}, nil); s != http.StatusOK {
		t.Fatalf("grant write: status %d", s)
	}

	pm.failStdin("not-"+robot.Token, "login", "--tls-verify=false", "-u", robot.Name, "--password-stdin", reg.host)
	pm.runStdin(robot.Token+"\n", "login", "--tls-verify=false", "-u", robot.Name, "--password-stdin", reg.host)
	data := payload(t, 4096)
	layer := sb.writeFile("layer.tar", tarOf(t, "robot.bin", data))
	granted, other := reg.ref("granted", "v1"), reg.ref("elsewhere", "v1")
	pm.run("import", "-q", layer, granted)
	pm.run("tag", granted, other)
	pm.run("push", "-q", "--tls-verify=false", granted)
	pm.fail("push", "-q", "--tls-verify=false", other)

	_, files := reg.image(t, reg.repo("granted"), "v1")
	checkFile(t, files, "robot.bin", data)
	if got := reg.status(t, http.MethodGet, "/v2/"+reg.repo("elsewhere")+"/tags/list"); got != http.StatusNotFound {
		t.Errorf("refused push left a repository behind: tags/list answers %d", got)
	}

	old := robot.Token
	if s := reg.api(t, http.MethodPost, "user/robots/deployer/regenerate", nil, &robot); s != http.StatusOK {
		t.Fatalf("regenerate: status %d", s)
	}
	pm.run("logout", reg.host)
	if robot.Token == old {
		t.Fatal("regenerate kept the token")
	}
	pm.failStdin(old+"\n", "login", "--tls-verify=false", "-u", robot.Name, "--password-stdin", reg.host)
	pm.runStdin(robot.Token+"\n", "login", "--tls-verify=false", "-u", robot.Name, "--password-stdin", reg.host)
}
