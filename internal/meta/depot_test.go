package meta

import (
	"reflect"
	"testing"
)

func TestMergeIdentRows(t *testing.T) {
	t.Parallel()
	one := func(o, n, v, r, target string, id int64) IdentRow {
		return IdentRow{Origin: o, Name: n, Version: v, Release: r, Targets: []string{target}, VersionIDs: []int64{id}}
	}
	got := MergeIdentRows([]IdentRow{
		one("core", "a", "1", "2", "x86_64-linux", 1),
		one("core", "a", "1", "2", "x86_64-windows", 2),
		one("core", "a", "1", "3", "x86_64-linux", 3),
		one("core", "b", "1", "3", "x86_64-linux", 4),
		one("core", "b", "1", "3", "x86_64-windows", 5),
	})
	want := []IdentRow{
		{Origin: "core", Name: "a", Version: "1", Release: "2",
			Targets: []string{"x86_64-linux", "x86_64-windows"}, VersionIDs: []int64{1, 2}},
		one("core", "a", "1", "3", "x86_64-linux", 3),
		{Origin: "core", Name: "b", Version: "1", Release: "3",
			Targets: []string{"x86_64-linux", "x86_64-windows"}, VersionIDs: []int64{4, 5}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MergeIdentRows = %+v, want %+v", got, want)
	}
	if got := MergeIdentRows(nil); got != nil {
		t.Errorf("MergeIdentRows(nil) = %+v, want nil", got)
	}
}
