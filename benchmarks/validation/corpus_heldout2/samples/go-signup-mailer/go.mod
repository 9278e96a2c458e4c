module github.com/kettle/signup

go 1.22
