module github.com/stonepine/diskwatch

go 1.23

require golang.org/x/sys v0.16.0
