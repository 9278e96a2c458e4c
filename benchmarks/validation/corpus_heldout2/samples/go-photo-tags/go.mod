module github.com/lumen/photos

go 1.22
