module example.com/staffing

go 1.21
