module github.com/ledgerly/bankimport

go 1.22
