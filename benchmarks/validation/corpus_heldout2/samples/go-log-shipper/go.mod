module github.com/canopy/logshipper

go 1.22
