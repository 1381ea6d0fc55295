/// `registry-bench core`: the round executor benchmark. Placeholder, owned by another engineer.
enum CoreBenchmark {
    static func run(_ arguments: [String]) -> Int32 {
        print("registry-bench core: not yet implemented")
        return 0
    }
}
