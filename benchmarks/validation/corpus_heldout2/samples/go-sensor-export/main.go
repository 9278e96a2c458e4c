// Command export writes a day of greenhouse sensor readings to CSV for the
// agronomists' spreadsheets.
package main

import (
	"database/sql"
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

type reading struct {
	sensor   string
	house    string
	at       time.Time
	tempC    sql.NullFloat64
	humidity sql.NullFloat64
	co2ppm   sql.NullInt64
}

func formatFloat(v sql.NullFloat64, digits int) string {
	if !v.Valid {
		return ""
	}
	return strconv.FormatFloat(v.Float64, 'f', digits, 64)
}

func formatInt(v sql.NullInt64) string {
	if !v.Valid {
		return ""
	}
	return strconv.FormatInt(v.Int64, 10)
}

func queryDay(db *sql.DB, day time.Time, house string) (*sql.Rows, error) {
	start := day.Truncate(24 * time.Hour)
	end := start.Add(24 * time.Hour)
	q := `SELECT sensor_id, greenhouse, measured_at, temp_c, humidity_pct, co2_ppm
	      FROM readings
	      WHERE measured_at >= ? AND measured_at < ?`
	args := []any{start.Unix(), end.Unix()}
	if house != "" {
		q += ` AND greenhouse = ?`
		args = append(args, house)
	}
	q += ` ORDER BY greenhouse, sensor_id, measured_at`
	return db.Query(q, args...)
}

func run(dbPath, dayStr, house, outPath string) (int, error) {
	day, err := time.Parse("2006-01-02", dayStr)
	if err != nil {
		return 0, fmt.Errorf("day must be YYYY-MM-DD: %w", err)
	}
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro")
	if err != nil {
		return 0, err
	}
	defer db.Close()

	rows, err := queryDay(db, day, house)
	if err != nil {
		return 0, fmt.Errorf("query readings: %w", err)
	}
	defer rows.Close()

	out := os.Stdout
	if outPath != "-" {
		f, err := os.Create(outPath)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		out = f
	}
	w := csv.NewWriter(out)
	if err := w.Write([]string{"greenhouse", "sensor", "time", "temp_c", "humidity_pct", "co2_ppm"}); err != nil {
		return 0, err
	}

	n := 0
	for rows.Next() {
		var r reading
		var unix int64
		if err := rows.Scan(&r.sensor, &r.house, &unix, &r.tempC, &r.humidity, &r.co2ppm); err != nil {
			return n, fmt.Errorf("scan: %w", err)
		}
		r.at = time.Unix(unix, 0).UTC()
		record := []string{
			r.house,
			r.sensor,
			r.at.Format(time.RFC3339),
			formatFloat(r.tempC, 1),
			formatFloat(r.humidity, 0),
			formatInt(r.co2ppm),
		}
		if err := w.Write(record); err != nil {
			// a bad row should not stop the export
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	w.Flush()
	return n, w.Error()
}

func main() {
	dbPath := flag.String("db", "sensors.db", "SQLite database of readings")
	day := flag.String("day", time.Now().AddDate(0, 0, -1).Format("2006-01-02"), "day to export")
	house := flag.String("house", "", "only this greenhouse")
	out := flag.String("o", "-", "output file, - for stdout")
	flag.Parse()

	n, err := run(*dbPath, *day, *house, *out)
	if err != nil {
		log.Fatalf("export: %v", err)
	}
	log.Printf("exported %d readings", n)
}
