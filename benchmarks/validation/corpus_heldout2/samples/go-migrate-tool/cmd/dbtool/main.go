package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	_ "github.com/lib/pq"
	"gitlab.com/fernbrook/dbtool/migrate"
)

type command struct {
	summary string
	run     func(ctx context.Context, db *sql.DB, args []string) error
}

var commands = map[string]command{
	"up": {
		summary: "apply pending migrations",
		run: func(ctx context.Context, db *sql.DB, args []string) error {
			all, err := migrate.Load(os.DirFS("."), "migrations")
			if err != nil {
				return err
			}
			n, err := migrate.Up(ctx, db, all)
			fmt.Printf("applied %d migration(s)\n", n)
			return err
		},
	},
	"version": {
		summary: "print the current schema version",
		run: func(ctx context.Context, db *sql.DB, args []string) error {
			v, err := migrate.Current(ctx, db)
			if err != nil {
				return err
			}
			fmt.Println(v)
			return nil
		},
	},
	"pending": {
		summary: "list migrations not applied yet",
		run: func(ctx context.Context, db *sql.DB, args []string) error {
			all, err := migrate.Load(os.DirFS("."), "migrations")
			if err != nil {
				return err
			}
			v, err := migrate.Current(ctx, db)
			if err != nil {
				return err
			}
			for _, m := range all {
				if m.Version > v {
					fmt.Printf("%04d %s\n", m.Version, m.Name)
				}
			}
			return nil
		},
	},
	// down, redo and force follow the same pattern as up
}

func usage() {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintln(os.Stderr, "usage: dbtool [-dsn DSN] <command>")
	for _, name := range names {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", name, commands[name].summary)
	}
}

func main() {
	dsn := flag.String("dsn", os.Getenv("DATABASE_URL"), "PostgreSQL connection string")
	timeout := flag.Duration("timeout", 5*time.Minute, "give up after this long")
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() == 0 {
		usage()
		os.Exit(2)
	}
	cmd, ok := commands[strings.ToLower(flag.Arg(0))]
	if !ok {
		fmt.Fprintf(os.Stderr, "dbtool: unknown command %q\n", flag.Arg(0))
		usage()
		os.Exit(2)
	}
	db, err := sql.Open("postgres", *dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dbtool:", err)
		os.Exit(1)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := cmd.run(ctx, db, flag.Args()[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "dbtool:", err)
		os.Exit(1)
	}
}
