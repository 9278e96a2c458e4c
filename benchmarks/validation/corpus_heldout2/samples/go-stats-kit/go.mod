module github.com/meridian/statskit

go 1.22
