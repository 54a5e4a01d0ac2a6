package boltstore

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"go.etcd.io/bbolt"
)

func openDB(t *testing.T) *bbolt.DB {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func bucket(name string) Migration {
	return func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists([]byte(name))
		return err
	}
}

func TestMigrationsRunOnceInOrder(t *testing.T) {
	db := openDB(t)
	var ran []string
	step := func(name string) Migration {
		return func(tx *bbolt.Tx) error { ran = append(ran, name); return bucket(name)(tx) }
	}
	v1 := Schema{Name: "thu", Migrations: []Migration{step("a")}}
	if err := v1.Open(db); err != nil {
		t.Fatal(err)
	}
	v2 := Schema{Name: "thu", Migrations: []Migration{step("a"), step("b")}}
	for range 2 {
		if err := v2.Open(db); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(ran, ",") != "a,b" {
		t.Fatalf("migrations ran %v, want a then b once each", ran)
	}
	if err := (Schema{Name: "khac", Migrations: []Migration{bucket("c")}}).Open(db); err != nil {
		t.Fatal(err)
	}
	got, err := Versions(db)
	if want := []StoreVersion{{"khac", 1}, {"thu", 2}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("versions %v %v, want %v", got, err, want)
	}
}

func TestANewerDatabaseIsRefusedUntouched(t *testing.T) {
	db := openDB(t)
	if err := (Schema{Name: "thu", Migrations: []Migration{bucket("a"), bucket("b")}}).Open(db); err != nil {
		t.Fatal(err)
	}
	older := Schema{Name: "thu", Migrations: []Migration{func(*bbolt.Tx) error { t.Error("an older program migrated"); return nil }}}
	err := older.Open(db)
	if err == nil || !strings.Contains(err.Error(), "open thu store: schema version 2 is newer than this program (1)") {
		t.Fatalf("older program: %v", err)
	}
}

func TestAFailedMigrationLeavesNothing(t *testing.T) {
	db := openDB(t)
	boom := errors.New("hỏng")
	s := Schema{Name: "thu", Migrations: []Migration{bucket("a"), func(*bbolt.Tx) error { return boom }}}
	if err := s.Open(db); !errors.Is(err, boom) || !strings.Contains(err.Error(), "migrate to 2") {
		t.Fatalf("failed migration: %v", err)
	}
	db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket([]byte("a")) != nil || tx.Bucket(metaBucket) != nil {
			t.Error("a failed open left buckets behind")
		}
		return nil
	})
	if got, _ := Versions(db); len(got) != 0 {
		t.Errorf("versions after a failed open: %v", got)
	}
}
