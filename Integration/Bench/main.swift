print("registry-bench")
