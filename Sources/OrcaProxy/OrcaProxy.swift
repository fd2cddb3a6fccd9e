// The service proxy and DNS server land here (issue 5).
