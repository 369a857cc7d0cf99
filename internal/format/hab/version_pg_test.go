package hab

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
)

// builderOrder is the ordering of Builder's "latest" and version queries,
// with byte-order collation as its tests assume.
const builderOrder = `
SELECT v.version || '/' || v.release
FROM unnest($1::text[], $2::text[]) AS v(version, release),
     LATERAL regexp_matches(v.version, '([\d\.]*\d+)(.+)?') AS m
ORDER BY string_to_array(m[1], '.')::numeric[] DESC, m[2] COLLATE "C" DESC, v.release COLLATE "C" DESC`

// TestSortAgreesWithPostgres checks SortNewestFirst against the query it
// reproduces, run by a real PostgreSQL, over random versions.
func TestSortAgreesWithPostgres(t *testing.T) {
	t.Parallel()
	dsn := os.Getenv("WHARF_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("WHARF_TEST_POSTGRES_DSN is not set")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)

	rng := rand.New(rand.NewPCG(7, 9))
	alphabet := "0123456789..........--vVaAzZ~+_x"
	type row struct{ version, release string }
	var eligible []row
	var versions, releases []string // what PostgreSQL can order: digit-less rows included
	for i := 0; len(versions) < 5000; i++ {
		b := make([]byte, 1+rng.IntN(10))
		for j := range b {
			b[j] = alphabet[rng.IntN(len(alphabet))]
		}
		v := string(b)
		if rng.IntN(3) == 0 {
			v = fmt.Sprintf("%d.%d", rng.IntN(12), rng.IntN(12)) + v[:rng.IntN(len(v)+1)]
		}
		r := fmt.Sprintf("2020%010d", i) // unique, so that no two rows tie
		_, _, hasDigit := numericSpan(v)
		if _, err := ParseVersionKey(v); err == nil {
			eligible = append(eligible, row{v, r})
		} else if hasDigit {
			continue // an empty component: PostgreSQL fails the whole query
		}
		versions, releases = append(versions, v), append(releases, r)
	}
	rows, err := conn.Query(ctx, builderOrder, versions, releases)
	if err != nil {
		t.Fatal(err)
	}
	want, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	sorted, _ := SortNewestFirst(eligible, func(x row) (string, string) { return x.version, x.release })
	got := make([]string, len(sorted))
	for i, x := range sorted {
		got[i] = x.version + "/" + x.release
	}
	if len(want) < 1000 || len(want) == len(versions) {
		t.Fatalf("%d of %d rows ordered: the sample misses a case", len(want), len(versions))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order differs from PostgreSQL (-postgres +go):\n%s", diff)
	}

	// The versions ParseVersionKey refuses for an empty component make
	// PostgreSQL fail, as Builder's quirk says.
	for _, v := range []string{".5", "1..2", "x.1"} {
		rows, err := conn.Query(ctx, builderOrder, []string{v}, []string{"20200101000000"})
		if err == nil {
			_, err = pgx.CollectRows(rows, pgx.RowTo[string])
		}
		if err == nil {
			t.Errorf("PostgreSQL orders %q", v)
		}
	}
}
