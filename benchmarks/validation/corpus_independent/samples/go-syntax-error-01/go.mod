module example.com/librarian

go 1.21
