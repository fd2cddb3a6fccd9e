print("bench-api")
