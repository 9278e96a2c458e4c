module example.com/bakery/orders

go 1.22
