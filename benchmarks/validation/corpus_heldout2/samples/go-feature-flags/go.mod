module github.com/orchard/flags

go 1.22
