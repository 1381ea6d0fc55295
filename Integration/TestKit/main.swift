print("registry-testkit")
