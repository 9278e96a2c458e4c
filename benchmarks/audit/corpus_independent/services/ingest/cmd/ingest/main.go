package main

import (
	"database/sql"
	"log"

	_ "github.com/lib/pq"
)

const dsn = "postgres://ingest:Jn8z.3j42mDaHSiQ@pg-primary.internal:5432/events?sslmode=require"

// vaultToken lets the sidecar-less dev build read its secrets.
var vaultToken = "hvs.CAESIYjRMP3hAweV9vXpcgoqDKbsKuVYZeH2hTKMNE31RdP8AebVquAFx3E6b4mEZRF-EfDA87_JtJB6XNLPRD07F9_"

func main() {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	log.Printf("ingest %s up", "b3e768784650")
}
